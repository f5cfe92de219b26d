package org.screening.outreach.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OUTREACH_CALL_LEASE_SECONDS / OUTREACH_SMS_LEASE_SECONDS: how long a dead node's claims stay blocked. */
class LeaseConfigTest {
    @Test
    void tenMinutesForCallsTwoForSmsUnlessConfigured() {
        OutreachConfig.Leases defaults = ConfigLoader.fromMap(Map.of()).leases();
        assertThat(defaults.call()).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.sms()).isEqualTo(Duration.ofMinutes(2));
        OutreachConfig.Leases set = ConfigLoader.fromMap(Map.of("OUTREACH_CALL_LEASE_SECONDS", "45",
                "OUTREACH_SMS_LEASE_SECONDS", "15")).leases();
        assertThat(set.call()).isEqualTo(Duration.ofSeconds(45));
        assertThat(set.sms()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aLeaseTooShortToOutlastASendIsRefused() {
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_CALL_LEASE_SECONDS", "5")))
                .hasMessageContaining("OUTREACH_CALL_LEASE_SECONDS");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_SMS_LEASE_SECONDS", "ten")))
                .hasMessageContaining("OUTREACH_SMS_LEASE_SECONDS");
    }
}
