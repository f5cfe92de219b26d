package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.screening.outreach.ledger.export.ReasonText;

/** Status-change reasons as a Chinese (and English) reader sees them on the case page and in the ledger export. */
class ReasonTextTest {
    static String zh(String raw) {
        return ReasonText.of(raw, Messages.of("zh")::getOr);
    }

    @Test
    void reasonsBuiltWithANumberAnOutcomeOrANoteAreShownInChinese() {
        assertThat(zh("answered call 1")).isEqualTo("第1次电话已接通");
        assertThat(zh("door knock: NOT_AT_HOME")).isEqualTo("上门结果：不在家（需再次上门）");
        assertThat(zh("verified by phone: 本人在家，已核实")).isEqualTo("核实方式：电话核实；备注：本人在家，已核实");
        assertThat(zh("verified by door_knock")).isEqualTo("核实方式：上门核实");
        assertThat(zh("verified by 武侯区社区系统")).as("a reporting system's name stays as sent").isEqualTo("核实方式：武侯区社区系统");
        assertThat(zh("already known: same ID number as 01M98JRD9R9MY7D7TRT4HP8XWS"))
                .isEqualTo("已知人员：与01M98JRD9R9MY7D7TRT4HP8XWS证件号码相同");
        assertThat(zh("verified by match: same phone and name as cdc/A1")).isEqualTo("匹配核实：与cdc/A1电话和姓名相同");
        assertThat(zh("duplicate under control")).isEqualTo("已在管控中，重复推送已关闭");
    }

    @Test
    void fixedReasonsKeepTheirWholeTranslationAndUnknownOnesStayAsWritten() {
        assertThat(zh("verified by phone: identity confirmed, in the city, nothing to flag")).isEqualTo("电话核实：本人、在本市、无异常");
        assertThat(zh("contact planned")).isEqualTo("已安排联系");
        assertThat(zh("居家隔离至4月8日")).isEqualTo("居家隔离至4月8日");
        assertThat(ReasonText.of("answered call 2", Messages.of("en")::getOr)).isEqualTo("call 2 answered");
    }
}
