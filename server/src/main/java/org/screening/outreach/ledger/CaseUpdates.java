package org.screening.outreach.ledger;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.RiskCase;

/**
 * Applies a decision about one case in one transaction with the case locked: its ledger events, status changes,
 * and the effects on planned calls and door knocks. The decision sees the case as it is under the lock.
 */
public interface CaseUpdates {
    /** The case after the step, or empty when there is no such case. */
    Optional<RiskCase> apply(String caseId, Function<RiskCase, CaseProgress.Step> decide, Instant now);

    /**
     * As {@link #apply}, but nothing is decided or written when the case's last event of {@code type} carries exactly
     * {@code data} (a double tap, a re-sent form). Checked under the case's lock, so the second of two concurrent
     * posts sees the first one's events. The case as it is, either way.
     */
    Optional<RiskCase> applyUnlessRepeated(String caseId, String type, Map<String, ?> data,
                                           Function<RiskCase, CaseProgress.Step> decide, Instant now);

    /**
     * Staff re-send the reminder SMS ({@link org.screening.outreach.domain.SmsResend}): the new attempt's id, due now,
     * or empty when there is no such case; throws {@link org.screening.outreach.domain.SmsResend.Refused} when refused.
     */
    Optional<Long> resendSms(String caseId, String actor, String by, Instant now);
}
