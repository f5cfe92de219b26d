package org.screening.outreach.channels.voice.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** ASTERISK_AMI_HOST entries: names, IPv4 and IPv6 addresses, with and without a port. */
class AmiHostsTest {

    @ParameterizedTest(name = "{0} → {1} port {2}")
    @CsvSource(delimiter = '|', value = {
            "pbx1                | pbx1               | 5038 | pbx1",
            "pbx1:5039           | pbx1               | 5039 | pbx1:5039",
            "10.0.0.2:5039       | 10.0.0.2           | 5039 | 10.0.0.2:5039",
            "::1                 | ::1                | 5038 | ::1",
            "fd00::5             | fd00::5            | 5038 | fd00::5",
            "[::1]               | ::1                | 5038 | ::1",
            "[::1]:5039          | ::1                | 5039 | [::1]:5039",
            "[fd00:0:0:1::5]:6000| fd00:0:0:1::5      | 6000 | [fd00:0:0:1::5]:6000",
            "::ffff:10.0.0.2     | ::ffff:10.0.0.2    | 5038 | ::ffff:10.0.0.2"})
    void oneEntry(String entry, String host, int port, String name) {
        assertThat(AmiHosts.parse(entry, 5038)).containsExactly(new AmiHosts.Entry(host, port, name));
    }

    @org.junit.jupiter.api.Test
    void severalEntriesMixed() {
        assertThat(AmiHosts.parse(" pbx1 , [::1]:5039, ::2 ,", 5038)).extracting(AmiHosts.Entry::host, AmiHosts.Entry::port)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pbx1", 5038), org.assertj.core.groups.Tuple.tuple("::1", 5039),
                        org.assertj.core.groups.Tuple.tuple("::2", 5038));
        assertThat(AmiHosts.parse("[::1]:5039", 5038).get(0).name()).isEqualTo("[::1]:5039");
        assertThat(List.of(AsteriskSettings.defaults("::1", "u", "s").amiAddress())).containsExactly("[::1]:5038");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pbx1:five", "pbx1:0", "pbx1:70000", ":5038", "[::1", "[::1]5038", "[::1]:x", "[]:5038",
            "[pbx1]:5038", "::1]:5038", " , "})
    void malformedEntriesAreNamed(String value) {
        assertThatThrownBy(() -> AmiHosts.parse(value, 5038)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ASTERISK_AMI_HOST");
    }
}
