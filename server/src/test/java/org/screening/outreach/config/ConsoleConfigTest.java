package org.screening.outreach.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OUTREACH_DUE_SOON_MINUTES: the console work list's "due soon" window. */
class ConsoleConfigTest {
    @Test
    void twoHoursUnlessConfigured() {
        assertThat(ConfigLoader.fromMap(Map.of()).console().dueSoon()).isEqualTo(Duration.ofMinutes(120));
        assertThat(ConfigLoader.fromMap(Map.of("OUTREACH_DUE_SOON_MINUTES", "30")).console().dueSoon())
                .isEqualTo(Duration.ofMinutes(30));
        assertThat(ConfigLoader.fromMap(Map.of("OUTREACH_DUE_SOON_MINUTES", "1440")).console().dueSoon())
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aBadWindowStopsTheStartNamingTheSetting() {
        for (String bad : new String[] {"0", "1441", "-5", "2h", "ninety"}) {
            assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_DUE_SOON_MINUTES", bad)))
                    .as(bad).isInstanceOf(ConfigLoader.ConfigException.class)
                    .hasMessageContaining("OUTREACH_DUE_SOON_MINUTES");
        }
    }
}
