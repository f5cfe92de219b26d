package org.screening.outreach.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.screening.outreach.sms.Segments.Encoding;

class SegmentsTest {
    static Stream<Arguments> rows() {
        String emoji = "\uD83D\uDE00"; // one code point, two UTF-16 units
        return Stream.of(
                // body, encoding, units, segments
                Arguments.of("empty", "", Encoding.GSM7, 0, 1),
                Arguments.of("gsm 160 fits one", "a".repeat(160), Encoding.GSM7, 160, 1),
                Arguments.of("gsm 161 needs two", "a".repeat(161), Encoding.GSM7, 161, 2),
                Arguments.of("gsm 306 = 2 x 153", "a".repeat(306), Encoding.GSM7, 306, 2),
                Arguments.of("gsm 307 needs three", "a".repeat(307), Encoding.GSM7, 307, 3),
                Arguments.of("extension chars count two", "€".repeat(80), Encoding.GSM7, 160, 1),
                Arguments.of("extension over the edge", "a".repeat(159) + "[", Encoding.GSM7, 161, 2),
                Arguments.of("escape never split", "a".repeat(152) + "{" + "a".repeat(10), Encoding.GSM7, 164, 2),
                Arguments.of("escape pushed to part two", "a".repeat(152) + "{" + "a".repeat(152), Encoding.GSM7, 306, 3),
                Arguments.of("gsm accents and newline", "Ça coûte\n", Encoding.UCS2, 9, 1), // û is not GSM-7
                Arguments.of("gsm latin-1 subset", "Ünïcødé? nö: äöñüà", Encoding.UCS2, 18, 1),
                Arguments.of("gsm basic accents", "Ä Ö Ñ Ü é è ù ì ò à £ ¥ ¿ ¡", Encoding.GSM7, 27, 1),
                Arguments.of("chinese 70 fits one", "测".repeat(70), Encoding.UCS2, 70, 1),
                Arguments.of("chinese 71 needs two", "测".repeat(71), Encoding.UCS2, 71, 2),
                Arguments.of("chinese 134 = 2 x 67", "测".repeat(134), Encoding.UCS2, 134, 2),
                Arguments.of("chinese 135 needs three", "测".repeat(135), Encoding.UCS2, 135, 3),
                Arguments.of("one chinese char makes it ucs2", "a".repeat(69) + "测", Encoding.UCS2, 70, 1),
                Arguments.of("ascii 71 with a chinese char", "a".repeat(70) + "测", Encoding.UCS2, 71, 2),
                Arguments.of("emoji counts two", emoji.repeat(35), Encoding.UCS2, 70, 1),
                Arguments.of("emoji 36 counts 72", emoji.repeat(36), Encoding.UCS2, 72, 2),
                Arguments.of("surrogate pair never split", "测".repeat(66) + emoji + "测", Encoding.UCS2, 69, 1),
                Arguments.of("surrogate pair pushed over", "测".repeat(66) + emoji + "测".repeat(67), Encoding.UCS2, 135, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void counts(String what, String body, Encoding encoding, int units, int segments) {
        Segments.Count c = Segments.count(body);
        assertThat(c.encoding()).isEqualTo(encoding);
        assertThat(c.units()).isEqualTo(units);
        assertThat(c.segments()).isEqualTo(segments);
    }
}
