package org.screening.outreach.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.screening.outreach.support.TestIdKeys;

/** OUTREACH_ID_KEY, OUTREACH_ID_KEYS_OLD, OUTREACH_ID_INDEX_KEY: the keys of ID numbers at rest. */
class IdNumberKeysConfigTest {
    static final String K1 = Base64.getEncoder().encodeToString(TestIdKeys.key(1));
    static final String K3 = "hex:" + HexFormat.of().formatHex(TestIdKeys.key(3));
    static final String INDEX = Base64.getEncoder().encodeToString(TestIdKeys.key(2));

    @Test
    void nothingConfiguredMeansGeneratedIntoTheDataDir() {
        OutreachConfig.IdNumberKeys keys = ConfigLoader.fromMap(Map.of()).idNumberKeys();
        assertThat(keys.configured()).isFalse();
        assertThat(keys.oldKeys()).isEmpty();
    }

    @Test
    void configuredKeysAreReadAsHexOrBase64AndNeverPrinted() {
        OutreachConfig config = ConfigLoader.fromMap(Map.of("OUTREACH_ID_KEY", K3, "OUTREACH_ID_KEYS_OLD", K1 + ", " + K1,
                "OUTREACH_ID_INDEX_KEY", INDEX));
        OutreachConfig.IdNumberKeys keys = config.idNumberKeys();
        assertThat(keys.key()).isEqualTo(TestIdKeys.key(3));
        assertThat(keys.oldKeys()).hasSize(2).allSatisfy(k -> assertThat(k).isEqualTo(TestIdKeys.key(1)));
        assertThat(keys.indexKey()).isEqualTo(TestIdKeys.key(2));
        assertThat(keys.toString() + config).doesNotContain(K1).doesNotContain(INDEX).doesNotContain(K3.substring(4, 20))
                .doesNotContain("AQEBAQEB");
    }

    @Test
    void halfAConfigurationOrAKeyOfTheWrongSizeStopsTheStart() {
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_ID_KEY", K1)))
                .hasMessageContaining("OUTREACH_ID_INDEX_KEY");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_ID_INDEX_KEY", INDEX)))
                .hasMessageContaining("OUTREACH_ID_KEY");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_ID_KEYS_OLD", K1)))
                .hasMessageContaining("OUTREACH_ID_KEYS_OLD");
        String longKey = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(TestIdKeys.key(7), 48)); // "Bwc…": base64
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_ID_KEY", longKey, "OUTREACH_ID_INDEX_KEY", INDEX)))
                .hasMessageContaining("OUTREACH_ID_KEY must hold exactly 32 bytes");
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_ID_KEY", K1, "OUTREACH_ID_INDEX_KEY", "c2hvcnQ=")))
                .hasMessageContaining("OUTREACH_ID_INDEX_KEY");
    }
}
