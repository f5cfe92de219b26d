package org.screening.outreach.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaseRulesTest {
    private static final Instant T0 = Instant.parse("2022-04-01T00:00:00Z");

    @ParameterizedTest
    @CsvSource({"红码,RED", "red,RED", "黄码,YELLOW", "区域协查,REGIONAL_ASSIST", "时空伴随,COMPANION",
            "同车同机,COMPANION", "重点区域驻留,COMPANION", "省际漫游,ROAMING", "来返人员,ARRIVAL", " arrival ,ARRIVAL"})
    void categoriesAreReadInChineseOrAsCodes(String text, Category expected) {
        assertThat(Category.parse(text)).contains(expected);
    }

    @Test
    void unknownCategoryIsNotGuessed() {
        assertThat(Category.parse("绿码")).isEmpty();
        assertThat(Category.parse("")).isEmpty();
    }

    @Test
    void defaultDeadlinesFollowTheNotices() {
        Deadlines d = Deadlines.defaults();
        assertThat(d.deadlineFor(Category.RED, T0)).isEqualTo(T0.plus(Duration.ofHours(2)));
        assertThat(d.of(Category.YELLOW)).isEqualTo(Duration.ofHours(12));
        assertThat(d.of(Category.REGIONAL_ASSIST)).isEqualTo(Duration.ofHours(12));
        assertThat(d.of(Category.COMPANION)).isEqualTo(Duration.ofHours(8));
        assertThat(d.of(Category.ROAMING)).isEqualTo(Duration.ofHours(24));
        assertThat(d.of(Category.ARRIVAL)).isEqualTo(Duration.ofHours(8));
    }

    @Test
    void deadlinesCanBeConfigured() {
        Deadlines d = Deadlines.withOverrides(Map.of(Category.RED, Duration.ofMinutes(90)));
        assertThat(d.of(Category.RED)).isEqualTo(Duration.ofMinutes(90));
        assertThat(d.of(Category.YELLOW)).isEqualTo(Duration.ofHours(12));
        assertThatThrownBy(() -> Deadlines.withOverrides(Map.of(Category.RED, Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void statusMachineFollowsTheMainLineAndRefusesShortcuts() {
        assertThat(CaseStatus.NEW.canMoveTo(CaseStatus.CONTACTING)).isTrue();
        assertThat(CaseStatus.CONTACTING.canMoveTo(CaseStatus.REACHED)).isTrue();
        assertThat(CaseStatus.REACHED.canMoveTo(CaseStatus.VERIFIED)).isTrue();
        assertThat(CaseStatus.VERIFIED.canMoveTo(CaseStatus.CLOSED)).isTrue();
        assertThat(CaseStatus.CONTACTING.canMoveTo(CaseStatus.DOOR_KNOCK)).isTrue();
        assertThat(CaseStatus.NEW.canMoveTo(CaseStatus.VERIFIED)).isFalse();
        assertThat(CaseStatus.REACHED.canMoveTo(CaseStatus.CLOSED)).as("closing needs verification").isFalse();
        assertThat(CaseStatus.UNDER_CONTROL.canMoveTo(CaseStatus.CLOSED)).isFalse();
        assertThat(CaseStatus.CLOSED.next()).isEmpty();
        assertThat(CaseStatus.TRANSFERRED.next()).isEmpty();
        assertThat(CaseStatus.CLOSED.isOpen()).isFalse();
    }

    @Test
    void everyStatusChangeComesWithItsLedgerEvent() {
        RiskCase c = riskCase(CaseStatus.CONTACTING);
        RiskCase.StatusChange change = c.moveTo(CaseStatus.REACHED, T0, "ivr", "answered");
        assertThat(change.after().status()).isEqualTo(CaseStatus.REACHED);
        assertThat(change.event().type()).isEqualTo(LedgerEvent.STATUS_CHANGED);
        assertThat(change.event().data()).containsEntry("from", "CONTACTING").containsEntry("to", "REACHED")
                .containsEntry("reason", "answered");
        assertThatThrownBy(() -> c.moveTo(CaseStatus.CLOSED, T0, "x", null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void overdueMeansOpenUnverifiedAndPastTheDeadline() {
        RiskCase c = riskCase(CaseStatus.CONTACTING);
        assertThat(c.isOverdue(T0.plus(Duration.ofHours(1)))).isFalse();
        assertThat(c.isOverdue(T0.plus(Duration.ofHours(3)))).isTrue();
        assertThat(c.withStatus(CaseStatus.VERIFIED).isOverdue(T0.plus(Duration.ofHours(3)))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"11010519491231002X", "11010519491231002x"})
    void validResidentIdNumbersPass(String id) {
        assertThat(ResidentIdNumber.problem(id)).isNull();
    }

    @ParameterizedTest
    @CsvSource({"110105194912310021,checksum", "11010519491231002,18 characters", "1101051949123100AX,17 digits"})
    void badResidentIdNumbersSayWhy(String id, String problem) {
        assertThat(ResidentIdNumber.problem(id)).contains(problem);
    }

    @Test
    void personalDataIsMasked() {
        assertThat(Masking.phone("+8613800138000")).isEqualTo("138****8000");
        assertThat(Masking.phone("+862885123456")).isEqualTo("******3456");
        assertThat(Masking.idNumber("11010519491231002X")).isEqualTo("110105********002X");
        assertThat(Masking.name("张三丰")).isEqualTo("张**");
        assertThat(Masking.phone("")).isEmpty();
    }

    @Test
    void numbersInErrorTextAreRedactedBeforeLogging() {
        String sql = "Duplicate entry '+8613800138000|510104001001' for key 'uk_cases_open_key', id 11010519491231002X";
        String red = Masking.redactNumbers(sql);
        assertThat(red).doesNotContain("13800138000").doesNotContain("510104001001").doesNotContain("1949123100")
                .contains("8000|").contains("uk_cases_open_key");
    }

    @Test
    void jurisdictionsAreTwelveDigitCodesAndScopesArePrefixes() {
        assertThat(Jurisdiction.isValidCode("510104001001")).isTrue();
        assertThat(Jurisdiction.isValidCode("51010400100")).isFalse();
        assertThat(Jurisdiction.isValidCode("51010400100a")).isFalse();
        assertThat(Jurisdiction.covers("5101", "510104001001")).isTrue();
        assertThat(Jurisdiction.covers("5102", "510104001001")).isFalse();
        assertThat(Jurisdiction.covers("", "510104001001")).isTrue();
    }

    /** A case pushed to a Chengdu (5101) deployment for a Chongqing person is read by the city task force only. */
    @Test
    void aCaseFromOutsideTheDeploymentIsReadByScopesCoveringTheWholeDeployment() {
        assertThat(Jurisdiction.readable("5101", "5101", "500104002003")).isTrue();
        assertThat(Jurisdiction.readable("51", "5101", "500104002003")).isTrue();
        assertThat(Jurisdiction.readable("510104", "5101", "500104002003")).isFalse();
        assertThat(Jurisdiction.readable("510104", "5101", "510105001001")).isFalse();
        assertThat(Jurisdiction.readable("510104", "5101", "510104001001")).isTrue();
        assertThat(Jurisdiction.readable("5101", "", "500104002003")).as("no deployment prefix: nothing is foreign")
                .isFalse();
    }

    @Test
    void caseIdsAreUniqueAndSortByCreationTime() {
        String a = CaseId.next(T0);
        String b = CaseId.next(T0.plusMillis(1));
        String sameMilli = CaseId.next(T0);
        assertThat(a).isNotEqualTo(sameMilli);
        assertThat(a.compareTo(sameMilli)).as("ids of one millisecond keep their order").isNegative();
        assertThat(a.compareTo(b)).isNegative();
        assertThat(CaseId.looksValid(a)).isTrue();
        assertThat(CaseId.looksValid("../etc/passwd")).isFalse();
    }

    private static RiskCase riskCase(CaseStatus status) {
        return new RiskCase(CaseId.next(T0), "cdc", "A1", "张三", "+8613800138000", true, null, Category.RED,
                "510104001001", null, T0, T0.plus(Duration.ofHours(2)), status);
    }
}
