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
    void retryPlansCanBeChangedPerCategory() {
        OutreachConfig c = ConfigLoader.fromMap(Map.of("OUTREACH_PLAN_RED", "calls=0,10m,20m,30m;busy=3m;lead=45m",
                "OUTREACH_PLAN_YELLOW", "sms=0,6h;quiet=ignore"));
        assertThat(c.retryPlans().of(Category.RED).callsAt())
                .containsExactly(Duration.ZERO, Duration.ofMinutes(10), Duration.ofMinutes(20), Duration.ofMinutes(30));
        assertThat(c.retryPlans().of(Category.RED).busyRetry()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.retryPlans().of(Category.RED).escalationLead()).isEqualTo(Duration.ofMinutes(45));
        assertThat(c.retryPlans().of(Category.RED).ignoresQuietHours()).as("kept from the default").isTrue();
        assertThat(c.retryPlans().of(Category.YELLOW).smsAt()).containsExactly(Duration.ZERO, Duration.ofHours(6));
        assertThat(c.retryPlans().of(Category.YELLOW).ignoresQuietHours()).isTrue();
        assertThat(c.retryPlans().of(Category.ROAMING).callsAt()).hasSize(3);
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_PLAN_RED", "calls=0,20,40")))
                .hasMessageContaining("OUTREACH_PLAN_RED").hasMessageContaining("unit");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_PLAN_RED", "calls=40m,20m")))
                .hasMessageContaining("backwards");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_PLAN_RED", "retries=3")))
                .hasMessageContaining("unknown part");
    }

    @Test
    void badValuesNameTheirKey() {
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "eighty")))
                .hasMessageContaining("OUTREACH_HTTP_PORT");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_VOICE_PROVIDER", "carrier-pigeon")))
                .hasMessageContaining("OUTREACH_VOICE_PROVIDER");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_SIM_ANSWER_PERCENT", "80",
                "OUTREACH_SIM_BUSY_PERCENT", "30"))).hasMessageContaining("must not exceed 100");
        assertThat(ConfigLoader.fromMap(Map.of("OUTREACH_SIM_ANSWER_PERCENT", "30")).simulator().answerRate()).isEqualTo(0.3);
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_DEADLINE_YELLOW", "soon")))
                .hasMessageContaining("OUTREACH_DEADLINE_YELLOW");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_VOICE_PROVIDER", "twilio",
                "TWILIO_ACCOUNT_SID", "AC1", "TWILIO_AUTH_TOKEN", "x"))).hasMessageContaining("TWILIO_FROM")
                .hasMessageContaining("OUTREACH_VOICE_PROVIDER=twilio");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_TWILIO_RING_SECONDS", "2")))
                .hasMessageContaining("OUTREACH_TWILIO_RING_SECONDS");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_TWILIO_MACHINE_DETECTION", "maybe")))
                .hasMessageContaining("OUTREACH_TWILIO_MACHINE_DETECTION");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_TWILIO_VOICES", "zh-CN=Polly.Zhiyou")))
                .hasMessageContaining("OUTREACH_TWILIO_VOICES").hasMessageContaining("Polly.Zhiyou");
        assertThatThrownBy(() -> ConfigLoader.load(new String[] {"--config", "/nonexistent/x.properties"}, Map.of()))
                .hasMessageContaining("/nonexistent/x.properties");
    }
}
