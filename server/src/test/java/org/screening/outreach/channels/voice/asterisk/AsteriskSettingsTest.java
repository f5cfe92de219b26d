package org.screening.outreach.channels.voice.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.AttemptOutcome;

class AsteriskSettingsTest {
    final AsteriskSettings defaults = AsteriskSettings.defaults("pbx.example.internal", "outreach", "very-secret");

    @Test
    void defaultsFollowTheDesign() {
        assertThat(defaults.amiPort()).isEqualTo(5038);
        assertThat(defaults.agiPort()).isEqualTo(4573);
        assertThat(defaults.context()).isEqualTo("outreach-ivr");
        assertThat(defaults.exten()).isEqualTo("s");
        assertThat(defaults.priority()).isEqualTo(1);
        assertThat(defaults.ringTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.allowedPbxHosts()).containsExactly("pbx.example.internal");
    }

    @Test
    void toStringNeverShowsTheSecret() {
        assertThat(defaults.toString()).doesNotContain("very-secret").contains("secret=****", "outreach@pbx.example.internal:5038");
    }

    @Test
    void missingCredentialsAreRefusedAtStart() {
        assertThatThrownBy(() -> AsteriskSettings.defaults("pbx", "outreach", " "))
                .hasMessageContaining("ASTERISK_AMI_SECRET");
        assertThatThrownBy(() -> defaults.withDialling("PJSIP/carrier", "+86", "", null))
                .hasMessageContaining("{number}");
    }

    @Test
    void chineseMobilesAreDialledInNationalFormatByDefault() {
        assertThat(DialString.channel(defaults, "+8613800138000")).isEqualTo("PJSIP/13800138000@carrier");
        assertThat(DialString.channel(defaults, "+441632960961")).isEqualTo("PJSIP/+441632960961@carrier");
    }

    /**
     * Intake stores a landline in E.164 without its trunk prefix (028-12345678 → +862812345678); dialled in
     * national format it needs the 0 back, as a mobile does not.
     */
    @Test
    void chineseLandlinesAreDialledWithTheirTrunkPrefix() {
        assertThat(DialString.channel(defaults, "+862812345678")).isEqualTo("PJSIP/02812345678@carrier");
        assertThat(DialString.channel(defaults, "+861012345678")).isEqualTo("PJSIP/01012345678@carrier");
        assertThat(DialString.channel(defaults, "+8613800138000")).isEqualTo("PJSIP/13800138000@carrier");
        // A configured dial prefix keeps the number as it is after the strip.
        assertThat(DialString.channel(defaults.withDialling("PJSIP/{number}@t", "+", "00", null), "+862812345678"))
                .isEqualTo("PJSIP/00862812345678@t");
    }

    @Test
    void dialPrefixAndE164AreOptions() {
        assertThat(DialString.channel(defaults.withDialling("PJSIP/{number}@t", "", "", null), "+8613800138000"))
                .isEqualTo("PJSIP/+8613800138000@t");
        assertThat(DialString.channel(defaults.withDialling("SIP/t/{number}", "+86", "0", null), "+8602812345678"))
                .isEqualTo("SIP/t/002812345678");
    }

    @Test
    void numbersThatCouldBreakTheChannelStringAreRefused() {
        assertThatThrownBy(() -> DialString.channel(defaults, "+86138&Local/1@x")).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("138");
    }

    @Test
    void originateReasonsMapToOurOutcomes() {
        assertThat(OriginateReason.unanswered(3)).isEqualTo(AttemptOutcome.NO_ANSWER);
        assertThat(OriginateReason.unanswered(5)).isEqualTo(AttemptOutcome.BUSY);
        assertThat(OriginateReason.unanswered(8)).isEqualTo(AttemptOutcome.FAILED);
        assertThat(OriginateReason.unanswered(0)).isEqualTo(AttemptOutcome.FAILED);
    }
}
