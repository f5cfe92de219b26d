package org.screening.outreach.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.screening.outreach.support.TestIdKeys;

class BlindIndexTest {
    static final BlindIndex INDEX = new BlindIndex(TestIdKeys.key(2));

    @Test
    void equalNumbersGiveEqualValuesWhateverTheirCaseOrSpaces() {
        assertThat(INDEX.of(" 51010419900101123x")).hasSize(16).isEqualTo(INDEX.of("51010419900101123X"));
        assertThat(INDEX.of("51010419900101123X")).isNotEqualTo(INDEX.of("510104199001011230"));
    }

    @Test
    void theValueDependsOnTheKeySoItCannotBeComputedWithoutIt() {
        BlindIndex other = new BlindIndex(TestIdKeys.key(5));
        assertThat(other.of("51010419900101123X")).isNotEqualTo(INDEX.of("51010419900101123X"));
        assertThat(other.keyId()).isNotEqualTo(INDEX.keyId()).matches("[0-9a-f]{16}");
        assertThat(INDEX.of(null)).isNull();
        assertThatThrownBy(() -> new BlindIndex(new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThat(INDEX.toString()).doesNotContain("AgICAgIC");
    }
}
