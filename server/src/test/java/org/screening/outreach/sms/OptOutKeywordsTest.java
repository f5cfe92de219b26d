package org.screening.outreach.sms;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.screening.outreach.sms.OptOutKeywords.Keyword;

class OptOutKeywordsTest {

    @ParameterizedTest
    @ValueSource(strings = {"STOP", "stop", " Stop ", "退订", " 退订 ", "退订。", "TD", "td", "Td", "T", "t",
            "ＳＴＯＰ", "ｔｄ", "Ｔ", "\u3000退订\u3000", "stop!", "\nTD\n"})
    void optOutWordsInAnyCaseSpacingAndWidth(String body) {
        assertThat(OptOutKeywords.of(body)).isEqualTo(Keyword.OPT_OUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"START", "start", " Start\n", "订阅", "订阅！", "ＳＴＡＲＴ", "unstop", "訂閱"})
    void optInWords(String body) {
        assertThat(OptOutKeywords.of(body)).isEqualTo(Keyword.OPT_IN);
    }

    /** Twilio stops texting a number that sent one of its opt-out words (21610): our list must know it too. */
    @ParameterizedTest
    @ValueSource(strings = {"STOPALL", "Unsubscribe", "cancel", "END", "quit.", "退訂"})
    void twiliosOwnOptOutWordsAndTraditionalCharacters(String body) {
        assertThat(OptOutKeywords.of(body)).isEqualTo(Keyword.OPT_OUT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "please stop calling", "我已退订了吗", "TDD", "TT", "1", "好的", "stopp", "S T O P"})
    void anythingElseIsNoKeyword(String body) {
        assertThat(OptOutKeywords.of(body)).isEqualTo(Keyword.NONE);
    }

    @org.junit.jupiter.api.Test
    void nullBodyIsNoKeyword() {
        assertThat(OptOutKeywords.of(null)).isEqualTo(Keyword.NONE);
    }
}
