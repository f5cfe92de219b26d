package org.screening.outreach.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferConfigTest {
    static final String KEY = HexFormat.of().formatHex(new byte[32]).replace('0', '7');

    @Test
    void noPeersByDefault() {
        OutreachConfig.Transfers t = ConfigLoader.fromMap(Map.of()).transfers();
        assertThat(t.jurisdiction()).isEmpty();
        assertThat(t.peers()).isEmpty();
        assertThat(t.escalateAfter()).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void peersWithTheirKeysAreRead() {
        OutreachConfig.Transfers t = ConfigLoader.fromMap(Map.of("OUTREACH_JURISDICTION", "5101",
                "OUTREACH_TRANSFER_PEERS", "5001=https://cq.example/, 510700=http://10.0.0.7:8080",
                "OUTREACH_TRANSFER_KEY_5001", KEY, "OUTREACH_TRANSFER_KEY_510700", "base64:" + java.util.Base64
                        .getEncoder().encodeToString(new byte[40]), "OUTREACH_TRANSFER_ESCALATE_MINUTES", "30")).transfers();
        assertThat(t.jurisdiction()).isEqualTo("5101");
        assertThat(t.peers()).extracting(OutreachConfig.TransferPeer::prefix, OutreachConfig.TransferPeer::baseUrl)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("5001", "https://cq.example"),
                        org.assertj.core.groups.Tuple.tuple("510700", "http://10.0.0.7:8080"));
        assertThat(t.peers().get(1).key()).hasSize(40);
        assertThat(t.peers().toString()).doesNotContain(KEY);
        assertThat(t.escalateAfter()).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void badSettingsStopTheStartNamingTheKey() {
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_TRANSFER_PEERS", "5001=https://cq.example",
                "OUTREACH_TRANSFER_KEY_5001", KEY))).hasMessageContaining("OUTREACH_JURISDICTION is required");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_JURISDICTION", "5101",
                "OUTREACH_TRANSFER_PEERS", "5001=https://cq.example"))).hasMessageContaining("OUTREACH_TRANSFER_KEY_5001");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_JURISDICTION", "5101",
                "OUTREACH_TRANSFER_PEERS", "cq=https://cq.example"))).hasMessageContaining("<prefix>=<http(s) base URL>");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_JURISDICTION", "5101",
                "OUTREACH_TRANSFER_PEERS", "510104=https://cq.example", "OUTREACH_TRANSFER_KEY_510104", KEY)))
                .hasMessageContaining("overlaps");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_JURISDICTION", "Chengdu")))
                .hasMessageContaining("OUTREACH_JURISDICTION");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_JURISDICTION", "5101",
                "OUTREACH_TRANSFER_PEERS", "5001=https://cq.example", "OUTREACH_TRANSFER_KEY_5001", "abcd")))
                .hasMessageContaining("OUTREACH_TRANSFER_KEY_5001");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_TRANSFER_ESCALATE_MINUTES", "60")))
                .hasMessageContaining("OUTREACH_TRANSFER_ESCALATE_MINUTES");
    }
}
