package org.screening.outreach.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OUTREACH_DEDUP_DAYS: how long a self-report or a control measure spares a new push of the same person. */
class DedupConfigTest {
    @Test
    void sevenDaysUnlessConfigured() {
        assertThat(ConfigLoader.fromMap(Map.of()).dedupWindow()).isEqualTo(Duration.ofDays(7));
        assertThat(ConfigLoader.fromMap(Map.of("OUTREACH_DEDUP_DAYS", "14")).dedupWindow()).isEqualTo(Duration.ofDays(14));
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_DEDUP_DAYS", "0")))
                .hasMessageContaining("OUTREACH_DEDUP_DAYS");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_DEDUP_DAYS", "two weeks")))
                .hasMessageContaining("OUTREACH_DEDUP_DAYS");
    }
}
