package org.screening.outreach.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Who may get the reminder SMS again: open cases with a mobile, not opted out, none already on its way. */
class SmsResendTest {
    private static final Instant T0 = Instant.parse("2022-04-01T00:00:00Z");

    private static RiskCase riskCase(CaseStatus status, boolean mobile) {
        return new RiskCase(CaseId.next(T0), "cdc", "A1", "张三", "+8613800138000", mobile, null, Category.RED,
                "510104001001", null, T0, T0.plus(Duration.ofHours(2)), status);
    }

    private static SmsResend.Refusal refusal(RiskCase c, boolean optedOut, boolean pending) {
        try {
            SmsResend.decide(c, optedOut, pending, 1, "staff:a", "a", T0);
            return null;
        } catch (SmsResend.Refused e) {
            return e.refusal();
        }
    }

    @Test
    void anOpenMobileCaseGetsTheNextSmsDueNowAndTheRequestInTheLedger() {
        Instant now = T0.plus(Duration.ofMinutes(30));
        for (CaseStatus s : SmsResend.STATUSES) {
            RiskCase c = riskCase(s, true);
            SmsResend.Plan p = SmsResend.decide(c, false, false, 2, "staff:wang", "wang", now);
            assertThat(p.attempt()).isEqualTo(new ContactPlanner.PlannedAttempt(ChannelKind.SMS, 3, now));
            assertThat(p.event().type()).isEqualTo(SmsResend.EVENT);
            assertThat(p.event().actor()).isEqualTo("staff:wang");
            assertThat(p.event().data()).containsEntry("by", "wang");
        }
    }

    @Test
    void refusalsSayWhy() {
        for (CaseStatus s : new CaseStatus[] {CaseStatus.VERIFIED, CaseStatus.CLOSED, CaseStatus.TRANSFERRED,
                CaseStatus.UNDER_CONTROL}) {
            assertThat(refusal(riskCase(s, true), false, false)).as(s.name()).isEqualTo(SmsResend.Refusal.NOT_OPEN);
        }
        assertThat(refusal(riskCase(CaseStatus.CONTACTING, false), false, false)).isEqualTo(SmsResend.Refusal.LANDLINE);
        assertThat(refusal(riskCase(CaseStatus.CONTACTING, true), true, false)).isEqualTo(SmsResend.Refusal.OPTED_OUT);
        assertThat(refusal(riskCase(CaseStatus.CONTACTING, true), false, true)).isEqualTo(SmsResend.Refusal.PENDING);
        assertThatThrownBy(() -> SmsResend.decide(riskCase(CaseStatus.REACHED, true), true, false, 0, "a", "a", T0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("STOP");
        assertThatThrownBy(() -> SmsResend.decide(riskCase(CaseStatus.REACHED, true), false, true, 0, "a", "a", T0))
                .hasMessage("a reminder is already on its way");
    }
}
