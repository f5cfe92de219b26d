package org.screening.outreach.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LedgerFeedConfigTest {
    static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) KEY[i] = (byte) (i * 7 + 1);
    }

    @Test
    void offByDefault() {
        OutreachConfig.LedgerFeed f = ConfigLoader.fromMap(Map.of()).ledgerFeed();
        assertThat(f.enabled()).isFalse();
        assertThat(f.retryHorizon()).isEqualTo(Duration.ofHours(24));
        assertThat(f.timeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void urlsKeyAndHorizonAreRead() {
        OutreachConfig.LedgerFeed f = ConfigLoader.fromMap(Map.of(
                "OUTREACH_LEDGER_URL", "https://ledger.city.example/feed, http://10.0.0.5:8080/in",
                "OUTREACH_LEDGER_KEY", HexFormat.of().formatHex(KEY), "OUTREACH_LEDGER_RETRY_HOURS", "6",
                "OUTREACH_LEDGER_TIMEOUT_SECONDS", "3")).ledgerFeed();
        assertThat(f.urls()).containsExactly("https://ledger.city.example/feed", "http://10.0.0.5:8080/in");
        assertThat(f.key()).isEqualTo(KEY);
        assertThat(f.retryHorizon()).isEqualTo(Duration.ofHours(6));
        assertThat(f.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(f.toString()).doesNotContain(HexFormat.of().formatHex(KEY));
    }

    @Test
    void theKeyMayBeHexOrBase64() {
        assertThat(ConfigLoader.ledgerKey(HexFormat.of().formatHex(KEY).toUpperCase())).isEqualTo(KEY);
        assertThat(ConfigLoader.ledgerKey("hex:" + HexFormat.of().formatHex(KEY))).isEqualTo(KEY);
        assertThat(ConfigLoader.ledgerKey(Base64.getEncoder().encodeToString(KEY))).isEqualTo(KEY);
        assertThat(ConfigLoader.ledgerKey("base64:" + Base64.getEncoder().encodeToString(KEY))).isEqualTo(KEY);
        assertThat(ConfigLoader.ledgerKey(Base64.getUrlEncoder().withoutPadding().encodeToString(KEY))).isEqualTo(KEY);
    }

    @Test
    void badSettingsStopTheStartNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_LEDGER_URL", "https://l.example/in")))
                .hasMessageContaining("OUTREACH_LEDGER_KEY is required");
        assertThatThrownBy(() -> ConfigLoader.ledgerKey("c2hvcnQ=")).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> ConfigLoader.ledgerKey("not base64 !")).hasMessageContaining("OUTREACH_LEDGER_KEY");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_LEDGER_URL", "ftp://l.example/in",
                "OUTREACH_LEDGER_KEY", HexFormat.of().formatHex(KEY)))).hasMessageContaining("OUTREACH_LEDGER_URL");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_LEDGER_URL", "https://u:p@l.example/in",
                "OUTREACH_LEDGER_KEY", HexFormat.of().formatHex(KEY)))).hasMessageContaining("user:password");
    }
}
