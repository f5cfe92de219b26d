package org.screening.outreach.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which rows and which case steps make a person known: control lists, arrivals, self-reports, control measures. */
class KnownPersonTest {
    static final Instant NOW = Instant.parse("2022-04-01T01:00:00Z");
    static final RiskCase CASE = new RiskCase("01CASE00000000000000000000", "s", "E1", "张三", "+8613800138000", true,
            null, Category.YELLOW, "510104001001", null, NOW, NOW.plusSeconds(3600), CaseStatus.CONTACTING);

    static CaseProgress.Step withEvent(String type, Map<String, Object> data) {
        return new CaseProgress.Step(List.of(), false, false, Optional.empty(),
                List.of(new LedgerEvent(CASE.id(), type, NOW, "x", data)), Optional.empty());
    }

    @Test
    void controlListCategoriesInChineseOrCode() {
        assertThat(List.of("已纳入管控", "已管控", "纳入管控", "UNDER_CONTROL", " under_control "))
                .allMatch(KnownPerson::isControlListCategory);
        assertThat(List.of("红码", "", "管控", "UNDER CONTROL")).noneMatch(KnownPerson::isControlListCategory);
        assertThat(KnownPerson.isControlListCategory(null)).isFalse();
    }

    @Test
    void aSelfReportByThePersonMakesThemKnownOneBySomeoneElseDoesNot() {
        Optional<KnownPerson> byPerson = KnownPerson.fromStep(CASE, withEvent(LedgerEvent.SELF_REPORT,
                Map.of("identity", "yes", "in_city", "yes")));
        assertThat(byPerson).hasValueSatisfying(k -> {
            assertThat(k.kind()).isEqualTo(KnownPerson.Kind.SELF_REPORT);
            assertThat(k.caseId()).isEqualTo(CASE.id());
            assertThat(k.phone()).isEqualTo(CASE.phone());
            assertThat(k.knownAt()).isEqualTo(NOW);
        });
        assertThat(KnownPerson.fromStep(CASE, withEvent(LedgerEvent.SELF_REPORT, Map.of("identity", "no")))).isEmpty();
    }

    @Test
    void aControlMeasureMakesThemKnownAVerificationAloneDoesNot() {
        assertThat(KnownPerson.fromStep(CASE, withEvent(LedgerEvent.RESULT_REPORTED,
                Map.of("result", "HOME_ISOLATION", "system", "x")))).map(KnownPerson::kind)
                .hasValue(KnownPerson.Kind.CONTROL_MEASURE);
        assertThat(KnownPerson.fromStep(CASE, withEvent(LedgerEvent.RESULT_REPORTED,
                Map.of("result", "VERIFIED", "system", "x")))).isEmpty();
        assertThat(KnownPerson.fromStep(CASE, withEvent("CALL_ANSWERED", Map.of()))).isEmpty();
    }

    @Test
    void aNewArrivalCaseIsASelfReportOtherCategoriesAreNot() {
        RiskCase arrival = new RiskCase(CASE.id(), "s", "E1", "张三", CASE.phone(), true, null, Category.ARRIVAL,
                "510104001001", null, NOW, NOW.plusSeconds(3600), CaseStatus.NEW);
        assertThat(KnownPerson.ofNewCase(arrival)).map(KnownPerson::kind).hasValue(KnownPerson.Kind.ARRIVAL);
        assertThat(KnownPerson.ofNewCase(CASE)).isEmpty();
    }
}
