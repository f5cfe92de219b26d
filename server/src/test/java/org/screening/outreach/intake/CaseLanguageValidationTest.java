package org.screening.outreach.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.Deadlines;

/** The language of a pushed row: common spellings accepted, empty is zh-CN, anything else a row error. */
class CaseLanguageValidationTest {
    static final CaseValidator VALIDATOR = new CaseValidator(Deadlines.defaults(), ZoneId.of("Asia/Shanghai"));
    static final Instant NOW = Instant.parse("2022-04-01T00:00:00Z");

    static CaseValidator.Checked check(String language) {
        return VALIDATOR.check(new CaseSubmission(1, "A1", "张三", "13800138000", "", "红码", "510104001001", "", language),
                "s", "", NOW);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "NULL|ZH_CN", "''|ZH_CN", "zh-CN|ZH_CN", "zh|ZH_CN", "ZH-cn|ZH_CN", "中文|ZH_CN", "' zh-CN '|ZH_CN",
            "en|EN", "EN|EN", "en-US|EN", "English|EN", "ENGLISH|EN", "英文|EN", "ｅｎ|EN"})
    void commonSpellingsAreAccepted(String pushed, CaseLanguage expected) {
        CaseValidator.Checked c = check(pushed);
        assertThat(c.errors()).isEmpty();
        assertThat(c.candidate().riskCase().language()).isEqualTo(expected);
    }

    @Test
    void anyOtherValueIsARowErrorOnLanguageNamingTheAcceptedValues() {
        CaseValidator.Checked c = check("fr");
        assertThat(c.candidate()).isNull();
        assertThat(c.errors()).singleElement().satisfies(e -> {
            assertThat(e.row()).isEqualTo(1);
            assertThat(e.field()).isEqualTo("language");
            assertThat(e.message()).contains("zh-CN", "en");
        });
    }
}
