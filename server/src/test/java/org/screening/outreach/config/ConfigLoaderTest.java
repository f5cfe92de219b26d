package org.screening.outreach.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.domain.Category;

class ConfigLoaderTest {

    @Test
    void defaultsRunWithNothingConfigured() {
        OutreachConfig c = ConfigLoader.load(new String[0], Map.of());
        assertThat(c.httpPort()).isEqualTo(8080);
        assertThat(c.embeddedDatabase()).isTrue();
        assertThat(c.smsProvider()).isEqualTo("sim");
        assertThat(c.voiceProvider()).isEqualTo("sim");
        assertThat(c.publicUrl()).isEqualTo("http://localhost:8080");
        assertThat(c.deadlines().of(Category.RED)).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("outreach.properties"),
                "OUTREACH_HTTP_PORT=9000\nOUTREACH_PUBLIC_URL=https://outreach.example.cn/\nOUTREACH_DEADLINE_RED=90M\n");
        OutreachConfig c = ConfigLoader.load(new String[] {"--config", file.toString()},
                Map.of("OUTREACH_HTTP_PORT", "9100"));
        assertThat(c.httpPort()).isEqualTo(9100);
        assertThat(c.publicUrl()).isEqualTo("https://outreach.example.cn");
        assertThat(c.deadlines().of(Category.RED)).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "eighty")))
                .hasMessageContaining("OUTREACH_HTTP_PORT");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_VOICE_PROVIDER", "carrier-pigeon")))
                .hasMessageContaining("OUTREACH_VOICE_PROVIDER");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_DEADLINE_YELLOW", "soon")))
                .hasMessageContaining("OUTREACH_DEADLINE_YELLOW");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", "/nonexistent/x.properties"}, Map.of()))
                .hasMessageContaining("/nonexistent/x.properties");
    }
}
