package org.screening.outreach.intake;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PhoneNormaliserTest {
    private final PhoneNormaliser phones = new PhoneNormaliser();

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "13800138000|+8613800138000|true",
            "138 0013 8000|+8613800138000|true",
            "138-0013-8000|+8613800138000|true",
            "+86 138 0013 8000|+8613800138000|true",
            "0086 13800138000|+8613800138000|true",
            "８６１３８００１３８０００|+8613800138000|true",
            "１３８００１３８０００|+8613800138000|true",
            "＋８６ １３８－００１３－８０００|+8613800138000|true",
            "028-85123456|+862885123456|false",
            "(010) 6512 3456|+861065123456|false"})
    void normalisesWhatPeopleType(String raw, String e164, boolean sms) {
        PhoneNormaliser.Result r = phones.normalise(raw);
        assertThat(r.problem()).isNull();
        assertThat(r.phone().e164()).isEqualTo(e164);
        assertThat(r.phone().smsCapable()).isEqualTo(sms);
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
            "''|empty",
            "'   '|empty",
            "12345|too short",
            "138abcd8000|only digits",
            "1380013800O|only digits",
            "23800138000|not a valid number",
            "138001380001234|not a valid number"})
    void rejectsWhatIsNotAPhone(String raw, String problem) {
        assertThat(phones.normalise(raw).problem()).contains(problem);
    }
}
