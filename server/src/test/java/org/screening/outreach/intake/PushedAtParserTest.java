package org.screening.outreach.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The push time forms Chinese lists come in, read as Asia/Shanghai local time unless they carry an offset. */
class PushedAtParserTest {
    static final PushedAtParser PARSER = new PushedAtParser(ZoneId.of("Asia/Shanghai"));

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2022年4月1日 08:30|2022-04-01T00:30:00Z",
            "2022年04月01日 8:30:15|2022-04-01T00:30:15Z",
            "2022年4月1日08:30|2022-04-01T00:30:00Z",
            "2022年4月1日|2022-03-31T16:00:00Z",
            "2022.4.1 08:30|2022-04-01T00:30:00Z",
            "2022.04.01|2022-03-31T16:00:00Z",
            "2022-04-01 08:30:00.0|2022-04-01T00:30:00Z",
            "2022-04-01 08:30:00.000|2022-04-01T00:30:00Z",
            "2022/4/1 08:30:00.0|2022-04-01T00:30:00Z",
            "2022/4/1 8:30|2022-04-01T00:30:00Z",
            "2022/4/1|2022-03-31T16:00:00Z",
            "2022-04-01 08:30|2022-04-01T00:30:00Z",
            "2022-4-1|2022-03-31T16:00:00Z",
            "2022-04-01T08:30|2022-04-01T00:30:00Z",
            "2022-04-01T08:30:00|2022-04-01T00:30:00Z",
            "2022-04-01T08:30:00+08:00|2022-04-01T00:30:00Z",
            "2022-04-01T08:30:00Z|2022-04-01T08:30:00Z",
            "2022-04-01 08:30:00+09:00|2022-03-31T23:30:00Z",
            "' 2022年4月1日 08:30 '|2022-04-01T00:30:00Z"})
    void readsTheFormsChineseListsUse(String text, String instant) {
        assertThat(PARSER.parse(text)).isEqualTo(Instant.parse(instant));
    }

    @ParameterizedTest
    @ValueSource(strings = {"昨天", "44652.3541666667", "2022年13月1日", "2022-02-30", "2022.4.1 25:00", "4/1/2022",
            "2022-04-01 08:30 下午"})
    void anythingElseIsADateTimeExceptionNamingTheField(String text) {
        assertThatThrownBy(() -> PARSER.parse(text)).isInstanceOf(DateTimeException.class).hasMessageContaining("pushedAt");
    }
}
