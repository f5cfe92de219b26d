package org.screening.outreach.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.ControlMatch.Rule;
import org.screening.outreach.domain.KnownPerson.Kind;
import org.screening.outreach.support.IdNumbers;

/** The de-duplication rule, case by case: who is the same person, and what a match does to the new case. */
class ControlMatchTest {
    static final Instant NOW = Instant.parse("2022-04-15T01:00:00Z");
    static final String ID = IdNumbers.valid("51010419900101123");
    static final String OTHER_ID = IdNumbers.valid("51010419851212456");
    static final String PHONE = "+8613800138000";
    static final ControlMatch RULE = new ControlMatch(ControlMatch.DEFAULT_WINDOW);

    static RiskCase pushed(Category category, String name, String phone, String idNumber) {
        return new RiskCase("01NEWCASE0000000000000000A", "sichuan-bigdata", "R1", name, phone, true, idNumber,
                category, "510104001002", null, NOW, NOW.plus(category.defaultDeadline()), CaseStatus.NEW);
    }

    static KnownPerson known(Kind kind, String name, String phone, String idNumber, Duration ago) {
        return new KnownPerson("01KNOWN0000000000000000000", kind, kind == Kind.CONTROL_LIST ? null : "01EARLIERCASE0000000000000",
                "chengdu-cdc", "C1", name, phone, idNumber, "510104001001", NOW.minus(ago));
    }

    static Stream<Arguments> table() {
        Duration day = Duration.ofDays(1);
        Category ra = Category.REGIONAL_ASSIST;
        return Stream.of(
                // what the new case says                       | who is known                                                  | rule
                Arguments.of("same ID, other phone and name", pushed(ra, "李四", "+8613900139000", ID),
                        known(Kind.CONTROL_LIST, "张三", PHONE, ID, day), Rule.ID_NUMBER),
                Arguments.of("same ID, check character in another case", pushed(ra, "", PHONE, "11010519491231002x"),
                        known(Kind.CONTROL_LIST, "", "+8613900139000", "11010519491231002X", day), Rule.ID_NUMBER),
                Arguments.of("no ID on the push: same phone and name", pushed(ra, "张三", PHONE, null),
                        known(Kind.CONTROL_LIST, "张三", PHONE, ID, day), Rule.PHONE_AND_NAME),
                Arguments.of("no ID on either side", pushed(ra, "张三", PHONE, null),
                        known(Kind.SELF_REPORT, "张三", PHONE, null, day), Rule.PHONE_AND_NAME),
                Arguments.of("name with spaces and an ideographic space", pushed(ra, " 张\u3000三 ", PHONE, null),
                        known(Kind.CONTROL_LIST, "张三", PHONE, null, day), Rule.PHONE_AND_NAME),
                Arguments.of("full-width latin name, other case", pushed(ra, "ＺＨＡＮＧ San", PHONE, null),
                        known(Kind.CONTROL_LIST, "zhang san", PHONE, null, day), Rule.PHONE_AND_NAME),
                Arguments.of("middle dot left out", pushed(ra, "阿卜杜热合曼", PHONE, null),
                        known(Kind.CONTROL_LIST, "阿卜杜·热合曼", PHONE, null, day), Rule.PHONE_AND_NAME),
                Arguments.of("different IDs are two people, same phone and name or not", pushed(ra, "张三", PHONE, OTHER_ID),
                        known(Kind.CONTROL_LIST, "张三", PHONE, ID, day), null),
                Arguments.of("family phone: same phone, other name", pushed(ra, "张小明", PHONE, null),
                        known(Kind.CONTROL_LIST, "张三", PHONE, null, day), null),
                Arguments.of("same name, other phone, no ID", pushed(ra, "张三", "+8613900139000", null),
                        known(Kind.CONTROL_LIST, "张三", PHONE, null, day), null),
                Arguments.of("empty names never match on phone", pushed(ra, "", PHONE, null),
                        known(Kind.CONTROL_LIST, "", PHONE, null, day), null),
                Arguments.of("empty ID on the known side, same phone and name", pushed(ra, "张三", PHONE, ID),
                        known(Kind.ARRIVAL, "张三", PHONE, null, day), Rule.PHONE_AND_NAME),
                Arguments.of("exactly at the window's edge", pushed(ra, "张三", PHONE, ID),
                        known(Kind.CONTROL_LIST, "张三", PHONE, ID, Duration.ofDays(7)), Rule.ID_NUMBER),
                Arguments.of("outside the window, even by ID", pushed(ra, "张三", PHONE, ID),
                        known(Kind.CONTROL_LIST, "张三", PHONE, ID, Duration.ofDays(7).plusMillis(1)), null),
                Arguments.of("under control covers a red code push", pushed(Category.RED, "张三", PHONE, ID),
                        known(Kind.CONTROL_MEASURE, "张三", PHONE, ID, day), Rule.ID_NUMBER),
                Arguments.of("a self-report does not cover a red code push", pushed(Category.RED, "张三", PHONE, ID),
                        known(Kind.SELF_REPORT, "张三", PHONE, ID, day), null),
                Arguments.of("nor a companion contact", pushed(Category.COMPANION, "张三", PHONE, ID),
                        known(Kind.ARRIVAL, "张三", PHONE, ID, day), null),
                Arguments.of("a self-report covers roaming", pushed(Category.ROAMING, "张三", PHONE, ID),
                        known(Kind.SELF_REPORT, "张三", PHONE, ID, day), Rule.ID_NUMBER),
                Arguments.of("an arrival report covers another arrival push", pushed(Category.ARRIVAL, "张三", PHONE, null),
                        known(Kind.ARRIVAL, "张三", PHONE, null, day), Rule.PHONE_AND_NAME));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void matches(String what, RiskCase pushed, KnownPerson known, Rule expected) {
        Optional<ControlMatch.Match> m = RULE.find(pushed, List.of(known));
        assertThat(m.map(ControlMatch.Match::rule).orElse(null)).as(what).isEqualTo(expected);
    }

    @Test
    void theIdRuleWinsThenUnderControlThenTheNewest() {
        RiskCase c = pushed(Category.REGIONAL_ASSIST, "张三", PHONE, ID);
        KnownPerson byPhone = new KnownPerson("A", Kind.CONTROL_LIST, null, "s", "1", "张三", PHONE, null, "510104001001",
                NOW.minusSeconds(10));
        KnownPerson reportOld = new KnownPerson("B", Kind.SELF_REPORT, "CASEB", null, null, "张三", "+8613900000000", ID,
                "510104001001", NOW.minus(Duration.ofDays(3)));
        KnownPerson measure = new KnownPerson("C", Kind.CONTROL_MEASURE, "CASEC", null, null, "", "+8613900000001", ID,
                "510104001001", NOW.minus(Duration.ofDays(5)));
        KnownPerson measureNewer = new KnownPerson("D", Kind.CONTROL_MEASURE, "CASED", null, null, "", "+8613900000002", ID,
                "510104001001", NOW.minus(Duration.ofDays(4)));
        assertThat(RULE.find(c, List.of(byPhone, reportOld)).orElseThrow().person().id()).isEqualTo("B");
        assertThat(RULE.find(c, List.of(byPhone, reportOld, measure)).orElseThrow().person().id()).isEqualTo("C");
        assertThat(RULE.find(c, List.of(measure, measureNewer, reportOld)).orElseThrow().person().id()).isEqualTo("D");
    }

    @Test
    void aMatchClosesTheNewCaseThroughTheStatusMachineWithAPointerAndNoPersonalData() {
        RiskCase c = pushed(Category.REGIONAL_ASSIST, "张三", PHONE, ID);
        KnownPerson listed = known(Kind.CONTROL_LIST, "张三", PHONE, ID, Duration.ofDays(1));
        ControlMatch.Duplicate dup = ControlMatch.close(c, RULE.find(c, List.of(listed)).orElseThrow(), NOW);

        assertThat(dup.closed().status()).isEqualTo(CaseStatus.CLOSED);
        assertThat(dup.events()).extracting(LedgerEvent::type).containsExactly(LedgerEvent.DUPLICATE_UNDER_CONTROL,
                LedgerEvent.STATUS_CHANGED, LedgerEvent.STATUS_CHANGED, LedgerEvent.STATUS_CHANGED);
        assertThat(dup.events()).extracting(e -> e.data().get("to")).containsExactly(null, "UNDER_CONTROL", "VERIFIED",
                "CLOSED");
        Map<String, Object> pointer = dup.events().get(0).data();
        assertThat(pointer).containsEntry("rule", "ID_NUMBER").containsEntry("matchedKind", "CONTROL_LIST")
                .containsEntry("matchedEntry", listed.id()).containsEntry("matchedSource", "chengdu-cdc")
                .containsEntry("matchedExternalId", "C1").doesNotContainKey("matchedCaseId");
        assertThat(dup.events().toString()).doesNotContain(PHONE).doesNotContain(ID).doesNotContain("张三");

        KnownPerson report = known(Kind.SELF_REPORT, "张三", PHONE, ID, Duration.ofDays(1));
        Map<String, Object> toCase = ControlMatch.close(c, RULE.find(c, List.of(report)).orElseThrow(), NOW).events()
                .get(0).data();
        assertThat(toCase).containsEntry("matchedCaseId", report.caseId()).doesNotContainKey("matchedSource");
    }

    @Test
    void aBatchLooksOnlyAtPeopleSharingAnIdNumberOrAPhone() {
        KnownPerson byId = known(Kind.CONTROL_LIST, "张三", "+8613900000001", ID, Duration.ofDays(1));
        KnownPerson byPhone = known(Kind.SELF_REPORT, "张三", PHONE, null, Duration.ofDays(1));
        KnownPerson neither = known(Kind.CONTROL_LIST, "张三", "+8613900000002", OTHER_ID, Duration.ofDays(1));
        ControlMatch.People people = new ControlMatch.People(List.of(byId, neither));
        people.add(byPhone);
        assertThat(people.sharingWith(pushed(Category.REGIONAL_ASSIST, "张三", PHONE, ID.toLowerCase())))
                .containsExactlyInAnyOrder(byId, byPhone);
        assertThat(people.sharingWith(pushed(Category.REGIONAL_ASSIST, "张三", "+8613700000000", null))).isEmpty();
    }

    @Test
    void namesCompareWithoutSpacesDotsOrCase() {
        assertThat(ControlMatch.nameKey(" 阿卜杜·热合曼 ")).isEqualTo(ControlMatch.nameKey("阿卜杜热合曼"));
        assertThat(ControlMatch.nameKey("Li  Si")).isEqualTo("lisi");
        assertThat(ControlMatch.nameKey(null)).isEmpty();
        assertThat(ControlMatch.nameKey(" \u3000 ")).isEmpty();
    }
}
