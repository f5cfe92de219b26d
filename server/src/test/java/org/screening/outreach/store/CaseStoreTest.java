package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.intake.CaseSubmission;
import org.screening.outreach.intake.CaseValidator;
import org.screening.outreach.intake.IntakeListener;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.IntakeSummary;
import org.screening.outreach.intake.RowError;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CaseStoreTest {
    static final Instant T0 = Instant.parse("2022-04-01T00:00:00Z");
    static MutableClock clock = new MutableClock(T0);
    static IntakeService intake;
    static CaseLedger ledger;

    @BeforeAll
    static void setUp(TestDb db) {
        intake = new IntakeService(new JdbcCaseStore(db.database(), new org.screening.outreach.domain.ContactPlanner(org.screening.outreach.domain.RetryPlans.defaults(), org.screening.outreach.domain.QuietHours.defaults())),
                new CaseValidator(Deadlines.defaults(), ZoneId.of("Asia/Shanghai")), clock, 3);
        ledger = new JdbcCaseLedger(db.database());
    }

    record Outcome(IntakeSummary summary, List<String> ids, List<RowError> errors) {}

    static Outcome push(String source, String prefix, CaseSubmission... rows) {
        List<String> ids = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        IntakeSummary s = intake.ingest(source, prefix, "test", sink -> List.of(rows).forEach(sink),
                new IntakeListener() {
                    @Override
                    public void stored(CaseSubmission row, org.screening.outreach.intake.CaseStore.Stored stored) {
                        ids.add(stored.caseId());
                    }

                    @Override
                    public void rejected(RowError error) {
                        errors.add(error);
                    }
                });
        return new Outcome(s, ids, errors);
    }

    static CaseSubmission row(int n, String extId, String phone, String category, String jurisdiction) {
        return new CaseSubmission(n, extId, "张三", phone, "", category, jurisdiction, "");
    }

    @Test
    void storesCasesWithDeadlineAndReceivedEvent() {
        Outcome o = push("cdc", "", row(1, "S1", "13800000001", "红码", "510104001001"));
        assertThat(o.summary().accepted()).isEqualTo(1);
        RiskCase c = ledger.find(o.ids().get(0)).orElseThrow();
        assertThat(c.phone()).isEqualTo("+8613800000001");
        assertThat(c.category()).isEqualTo(Category.RED);
        assertThat(c.deadlineAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
        assertThat(c.status()).isEqualTo(CaseStatus.NEW);
        assertThat(ledger.events(c.id())).extracting(LedgerEvent::type).containsExactly(LedgerEvent.RECEIVED);
    }

    @Test
    void sameSourceAndExternalIdIsADuplicateEvenAcrossBatchesAndWithinOne() {
        Outcome first = push("dup", "", row(1, "D1", "13800000011", "黄码", "510104001001"),
                row(2, "D1", "13800000011", "黄码", "510104001001"));
        assertThat(first.summary().accepted()).isEqualTo(1);
        assertThat(first.summary().duplicates()).isEqualTo(1);
        Outcome again = push("dup", "", row(1, "D1", "13800000011", "黄码", "510104001001"));
        assertThat(again.summary().accepted()).isZero();
        assertThat(again.ids()).containsExactly(first.ids().get(0));
        assertThat(ledger.events(first.ids().get(0))).hasSize(1);
    }

    @Test
    void samePersonFromAnotherSourceIsMergedAndAStricterCategoryTightensTheDeadline() {
        Outcome yellow = push("city", "", row(1, "Y1", "13800000021", "黄码", "510104001001"));
        String id = yellow.ids().get(0);
        Outcome red = push("province", "", row(1, "P9", "138 0000 0021", "红码", "510104001001"));
        assertThat(red.summary().merged()).isEqualTo(1);
        assertThat(red.summary().accepted()).isZero();
        assertThat(red.ids()).containsExactly(id);
        RiskCase c = ledger.find(id).orElseThrow();
        assertThat(c.category()).isEqualTo(Category.RED);
        assertThat(c.deadlineAt()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));
        List<LedgerEvent> events = ledger.events(id);
        assertThat(events).extracting(LedgerEvent::type).containsExactly(LedgerEvent.RECEIVED, LedgerEvent.MERGED);
        assertThat(events.get(1).data()).containsEntry("source", "province").containsEntry("externalId", "P9");
        // re-sending the merged row changes nothing
        assertThat(push("province", "", row(1, "P9", "13800000021", "红码", "510104001001")).summary().duplicates())
                .isEqualTo(1);
        assertThat(ledger.events(id)).hasSize(2);
    }

    static CaseSubmission person(String extId, String name, String idNumber, String category) {
        return new CaseSubmission(1, extId, name, "13800000071", idNumber, category, "510104001001", "");
    }

    @Test
    void familyMembersSharingAPhoneAreCasesOfTheirOwnAndEachTakesItsOwnPushes() {
        String grandpaId = org.screening.outreach.support.IdNumbers.valid("11010519491231002");
        String grandmaId = org.screening.outreach.support.IdNumbers.valid("11010519500101004");
        String grandpa = push("cdc", "", person("F1", "张大爷", grandpaId, "红码")).ids().get(0);
        Outcome other = push("cdc", "", person("F2", "李奶奶", grandmaId, "红码"));
        assertThat(other.summary().accepted()).as("another ID number on the same phone: another person").isEqualTo(1);
        String grandma = other.ids().get(0);
        assertThat(grandma).isNotEqualTo(grandpa);
        Outcome child = push("cdc", "", person("F3", "张小明", "", "黄码"));
        assertThat(child.summary().accepted()).as("no ID number, another name: another person").isEqualTo(1);

        assertThat(push("province", "", person("P1", "李奶奶", grandmaId, "红码")).ids()).containsExactly(grandma);
        assertThat(push("city", "", person("C1", "张 大爷", "", "红码")).ids()).as("same name, no ID number")
                .containsExactly(grandpa);
        assertThat(push("city", "", person("C2", "张小明", "", "红码")).ids()).containsExactly(child.ids().get(0));

        // Each case moves on its own; a closed one gives up its key and the next push of that person is a new case.
        RiskCase b = ledger.find(grandma).orElseThrow();
        assertThat(ledger.apply(b.moveTo(CaseStatus.REACHED, clock.instant(), "test", "answered"))).isTrue();
        RiskCase a = ledger.find(grandpa).orElseThrow();
        RiskCase verified = a.moveTo(CaseStatus.REACHED, clock.instant(), "test", "answered").after();
        assertThat(ledger.apply(a.moveTo(CaseStatus.REACHED, clock.instant(), "test", "answered"))).isTrue();
        assertThat(ledger.apply(verified.moveTo(CaseStatus.VERIFIED, clock.instant(), "test", "ok"))).isTrue();
        RiskCase closing = ledger.find(grandpa).orElseThrow();
        assertThat(ledger.apply(closing.moveTo(CaseStatus.CLOSED, clock.instant(), "test", "销号"))).isTrue();
        String again = push("cdc", "", person("F4", "张大爷", grandpaId, "红码")).ids().get(0);
        assertThat(again).isNotIn(grandpa, grandma);
        assertThat(push("cdc", "", person("F5", "李奶奶", grandmaId, "红码")).ids()).containsExactly(grandma);
    }

    @Test
    void aVerifiedPersonPushedAsNewRiskIsScreenedAgainWhileTheSameListAgainIsMerged() {
        CaseSubmission yellow = new CaseSubmission(1, "V1", "王五", "13800000081", "", "黄码", "510104001001", "");
        String verified = push("city", "", yellow).ids().get(0);
        RiskCase c = ledger.find(verified).orElseThrow();
        RiskCase.StatusChange reached = c.moveTo(CaseStatus.REACHED, clock.instant(), "test", "self-report");
        assertThat(ledger.apply(reached)).isTrue();
        assertThat(ledger.apply(reached.after().moveTo(CaseStatus.VERIFIED, clock.instant(), "test", "ok"))).isTrue();

        CaseSubmission sameList = new CaseSubmission(1, "Y77", "王五", "13800000081", "", "黄码", "510104001001", "");
        assertThat(push("province", "", sameList).ids()).as("the same yellow list again").containsExactly(verified);
        CaseSubmission red = new CaseSubmission(1, "R77", "王五", "13800000081", "", "红码", "510104001001", "");
        Outcome now = push("province", "", red);
        assertThat(now.summary().accepted()).as("red code after a yellow verification is new risk").isEqualTo(1);
        String fresh = now.ids().get(0);
        assertThat(fresh).isNotEqualTo(verified);
        assertThat(ledger.find(fresh).orElseThrow().status()).isEqualTo(CaseStatus.NEW);
        assertThat(ledger.find(verified).orElseThrow().status()).isEqualTo(CaseStatus.VERIFIED);
        CaseSubmission redAgain = new CaseSubmission(1, "R78", "王五", "13800000081", "", "红码", "510104001001", "");
        assertThat(push("city", "", redAgain).ids()).as("later pushes go to the new case").containsExactly(fresh);
    }

    @Test
    void anIdTheSourceAlreadyGaveAnotherPersonIsRefusedNotTakenForADuplicate() {
        String first = push("daily-list", "", row(1, "1", "13800000091", "红码", "510104001001")).ids().get(0);
        // The next day's list numbers its rows from 1 again.
        Outcome next = push("daily-list", "", row(1, "1", "13800000092", "红码", "510104001001"),
                row(2, "1", "13800000092", "红码", "510104001001"));
        assertThat(next.summary().accepted()).isZero();
        assertThat(next.summary().duplicates()).as("not the first list's person").isZero();
        assertThat(next.summary().rejectedRows()).isEqualTo(2);
        assertThat(next.errors()).extracting(RowError::field).containsOnly("externalId");
        assertThat(next.errors().get(0).message()).contains("another person");
        // Within one batch too: the same id for two people keeps neither as the other's duplicate.
        Outcome batch = push("other-list", "", row(1, "7", "13800000093", "红码", "510104001001"),
                row(2, "7", "13800000094", "红码", "510104001001"));
        assertThat(batch.summary().accepted()).isEqualTo(1);
        assertThat(batch.errors()).extracting(RowError::row).containsExactly(2);
        // The same person under the same id is still a duplicate.
        assertThat(push("daily-list", "", row(1, "1", "138 0000 0091", "红码", "510104001001")).ids()).containsExactly(first);
    }

    @Test
    void externalIdsDifferingOnlyInLetterCaseAreDifferentCases() {
        Outcome o = push("case", "", row(1, "ab-1", "13800000081", "黄码", "510104001001"),
                row(2, "AB-1", "13800000082", "黄码", "510104001001"));
        assertThat(o.summary().accepted()).isEqualTo(2);
        assertThat(push("case", "", row(1, "AB-1", "13800000082", "黄码", "510104001001")).summary().duplicates())
                .isEqualTo(1);
    }

    @Test
    void samePhoneInAnotherCommunityIsAnotherCase() {
        Outcome a = push("x", "", row(1, "C1", "13800000031", "黄码", "510104001001"),
                row(2, "C2", "13800000031", "黄码", "510104001002"));
        assertThat(a.summary().accepted()).isEqualTo(2);
        assertThat(a.ids().get(0)).isNotEqualTo(a.ids().get(1));
    }

    @Test
    void aClosedCaseDoesNotAbsorbANewPushOfThePerson() {
        String id = push("c", "", row(1, "K1", "13800000041", "黄码", "510104001001")).ids().get(0);
        RiskCase c = ledger.find(id).orElseThrow();
        assertThat(ledger.apply(c.moveTo(CaseStatus.UNDER_CONTROL, clock.instant(), "test", "isolated"))).isTrue();
        c = ledger.find(id).orElseThrow();
        assertThat(ledger.apply(c.moveTo(CaseStatus.VERIFIED, clock.instant(), "test", "home isolation checked"))).isTrue();
        c = ledger.find(id).orElseThrow();
        assertThat(ledger.apply(c.moveTo(CaseStatus.CLOSED, clock.instant(), "test", "done"))).isTrue();
        Outcome again = push("c2", "", row(1, "K2", "13800000041", "黄码", "510104001001"));
        assertThat(again.summary().accepted()).isEqualTo(1);
        assertThat(again.ids().get(0)).isNotEqualTo(id);
    }

    @Test
    void aStatusChangeAppliesOnlyFromTheStatusItWasMadeFor() {
        String id = push("s", "", row(1, "T1", "13800000051", "红码", "510104001001")).ids().get(0);
        RiskCase c = ledger.find(id).orElseThrow();
        RiskCase.StatusChange toContacting = c.moveTo(CaseStatus.CONTACTING, clock.instant(), "test", null);
        RiskCase.StatusChange toDoorKnock = c.moveTo(CaseStatus.DOOR_KNOCK, clock.instant(), "test", null);
        assertThat(ledger.apply(toContacting)).isTrue();
        assertThat(ledger.apply(toDoorKnock)).isFalse(); // stale: the case is no longer NEW
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.CONTACTING);
        assertThat(ledger.events(id)).extracting(LedgerEvent::type)
                .containsExactly(LedgerEvent.RECEIVED, LedgerEvent.STATUS_CHANGED);
    }

    @Test
    void badRowsAreReportedByFieldAndGoodRowsStillLand() {
        Outcome o = push("mixed", "", row(1, "M1", "13800000061", "红码", "510104001001"),
                row(2, "M2", "123", "红码", "510104001001"),
                row(3, "M3", "13800000063", "绿码", "5101"),
                row(4, "M4", "13800000064", "黄码", "510104001001"));
        assertThat(o.summary().accepted()).isEqualTo(2);
        assertThat(o.errors()).extracting(RowError::row, RowError::field).containsExactly(
                org.assertj.core.groups.Tuple.tuple(2, "phone"),
                org.assertj.core.groups.Tuple.tuple(3, "category"),
                org.assertj.core.groups.Tuple.tuple(3, "jurisdiction"));
    }

    @Test
    void rowsOutsideTheCallersScopeAreRejected() {
        Outcome o = push("scoped", "510104001001", row(1, "O1", "13800000071", "红码", "510104001002"));
        assertThat(o.summary().accepted()).isZero();
        assertThat(o.errors()).singleElement().extracting(RowError::field).isEqualTo("jurisdiction");
    }

    @Test
    void concurrentImportsOfTheSameRowsCreateEachCaseOnce() throws Exception {
        CaseSubmission[] rows = new CaseSubmission[30];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = row(i + 1, "R" + i, String.format("1380010%04d", i), "黄码", "510104009001");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Outcome>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) runs.add(pool.submit((Callable<Outcome>) () -> push("race", "", rows)));
            long accepted = 0;
            for (Future<Outcome> f : runs) accepted += f.get().summary().accepted();
            assertThat(accepted).isEqualTo(30);
        } finally {
            pool.shutdownNow();
        }
        CaseLedger.Page page = ledger.list(new CaseLedger.Filter("510104009", null, null, null, clock.instant(), null, 100));
        assertThat(page.cases()).hasSize(30);
    }

    @Test
    void batchesStoredInParallelStillCountEveryRowOnce(TestDb db) throws Exception {
        java.util.concurrent.ExecutorService workers = Executors.newFixedThreadPool(2);
        try {
            IntakeService parallel = new IntakeService(new JdbcCaseStore(db.database(), new org.screening.outreach.domain.ContactPlanner(org.screening.outreach.domain.RetryPlans.defaults(), org.screening.outreach.domain.QuietHours.defaults())),
                    new CaseValidator(Deadlines.defaults(), ZoneId.of("Asia/Shanghai")), clock, 50, workers, 3);
            List<CaseSubmission> rows = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int k = i % 1700; // 300 rows repeat an earlier one, often in a batch stored at the same time
                rows.add(row(i + 1, "P" + k, String.format("1370000%04d", k), "黄码", "510104008001"));
            }
            List<Integer> reported = new ArrayList<>();
            IntakeSummary s = ingestValid(parallel, "parallel", rows, (row, stored) -> reported.add(row.row()));
            assertThat(s.accepted()).isEqualTo(1700);
            assertThat(s.duplicates() + s.merged()).isEqualTo(300);
            assertThat(reported).as("answers in row order").isSorted().hasSize(2000);
        } finally {
            workers.shutdownNow();
        }
    }

    @Test
    void aBatchLargerThanOneInsertStatementStoresEveryCaseWithItsEventAndEveryArrivalAsKnown(TestDb db) throws Exception {
        int n = MultiRowInsert.ROWS_PER_STATEMENT * 2 + 500;
        IntakeService big = new IntakeService(new JdbcCaseStore(db.database(), new org.screening.outreach.domain.ContactPlanner(org.screening.outreach.domain.RetryPlans.defaults(), org.screening.outreach.domain.QuietHours.defaults())),
                new CaseValidator(Deadlines.defaults(), ZoneId.of("Asia/Shanghai")), clock, n);
        List<CaseSubmission> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(row(i + 1, "B" + i, String.format("1360000%04d", i), i % 2 == 0 ? "来返人员" : "红码", "510104007001"));
        }
        List<String> ids = new ArrayList<>();
        IntakeSummary s = ingestValid(big, "big", rows, (row, stored) -> ids.add(stored.caseId()));
        assertThat(s.accepted()).isEqualTo(n);
        for (int i : new int[] {0, MultiRowInsert.ROWS_PER_STATEMENT, n - 1}) {
            RiskCase c = ledger.find(ids.get(i)).orElseThrow();
            assertThat(c.externalId()).isEqualTo("B" + i);
            assertThat(c.phone()).isEqualTo(String.format("+861360000%04d", i));
            assertThat(c.category()).isEqualTo(i % 2 == 0 ? Category.ARRIVAL : Category.RED);
            assertThat(ledger.events(c.id())).extracting(LedgerEvent::type).containsExactly(LedgerEvent.RECEIVED);
        }
        try (java.sql.Connection c = db.database().connection(); java.sql.Statement st = c.createStatement()) {
            assertThat(count(st, "SELECT COUNT(*) FROM ledger_events e JOIN cases c ON c.id = e.case_id "
                    + "WHERE c.source = 'big' AND e.type = 'RECEIVED'")).isEqualTo(n);
            assertThat(count(st, "SELECT COUNT(*) FROM known_persons k JOIN cases c ON c.id = k.case_id "
                    + "WHERE c.source = 'big' AND k.kind = 'ARRIVAL' AND k.phone = c.phone")).isEqualTo((n + 1) / 2);
        }
    }

    /** Ingests rows that are all valid (a rejected row fails the test). */
    private static IntakeSummary ingestValid(IntakeService service, String source, List<CaseSubmission> rows,
            java.util.function.BiConsumer<CaseSubmission, org.screening.outreach.intake.CaseStore.Stored> stored) {
        return service.ingest(source, "", "test", sink -> rows.forEach(sink), new IntakeListener() {
            @Override
            public void stored(CaseSubmission row, org.screening.outreach.intake.CaseStore.Stored s) {
                stored.accept(row, s);
            }

            @Override
            public void rejected(RowError error) {
                throw new AssertionError(error.toString());
            }
        });
    }

    private static long count(java.sql.Statement st, String sql) throws java.sql.SQLException {
        try (java.sql.ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void receivedEventCarriesTheRowsProvenanceAsJson() {
        Outcome o = push("ev", "", row(1, "q\"uote\\back", "13800000091", "红码", "510104001001"));
        LedgerEvent received = ledger.events(o.ids().get(0)).get(0);
        RiskCase c = ledger.find(o.ids().get(0)).orElseThrow();
        assertThat(received.data()).containsOnly(
                org.assertj.core.api.Assertions.entry("source", "ev"),
                org.assertj.core.api.Assertions.entry("externalId", "q\"uote\\back"),
                org.assertj.core.api.Assertions.entry("category", "RED"),
                org.assertj.core.api.Assertions.entry("jurisdiction", "510104001001"),
                org.assertj.core.api.Assertions.entry("deadlineAt", c.deadlineAt().toString()),
                org.assertj.core.api.Assertions.entry("smsCapable", true));
    }

    @Test
    void ownIdsAndMergedAliasesAreBothDuplicatesWhenSentAgainInOneBatch() {
        String open = push("alias-a", "", row(1, "A1", "13800000101", "黄码", "510104001001")).ids().get(0);
        Outcome b = push("alias-b", "", row(1, "B1", "13800000101", "黄码", "510104001001"),
                row(2, "B2", "13800000102", "黄码", "510104001001"));
        assertThat(b.summary().merged()).isEqualTo(1);
        assertThat(b.summary().accepted()).isEqualTo(1);
        Outcome again = push("alias-b", "", row(1, "B1", "13800000101", "黄码", "510104001001"),
                row(2, "B2", "13800000102", "黄码", "510104001001"),
                row(3, "B3", "13800000103", "黄码", "510104001001"));
        assertThat(again.summary().duplicates()).isEqualTo(2);
        assertThat(again.summary().merged()).isZero();
        assertThat(again.summary().accepted()).isEqualTo(1);
        assertThat(again.ids().subList(0, 2)).containsExactly(open, b.ids().get(1));
        // the alias names its source, not the case's own one
        assertThat(push("alias-a", "", row(1, "B1", "13800000104", "黄码", "510104001001")).summary().accepted())
                .isEqualTo(1);
    }

    @Test
    void anIdCreatedAndMergedByConcurrentImportsLandsOnce(TestDb db) throws Exception {
        push("twin-open", "", row(1, "O", "13800000111", "黄码", "510104001001"));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                String id = "T" + round;
                String community = "51010400" + (2000 + round);
                // the same (source, id): once as a new person, once as the person whose case is open
                Callable<Outcome> create = () -> push("twin", "", row(1, id, "13800120000", "黄码", community));
                Callable<Outcome> merge = () -> push("twin", "", row(1, id, "13800000111", "黄码", "510104001001"));
                Future<Outcome> a = pool.submit(create);
                Future<Outcome> b = pool.submit(merge);
                long stored = a.get().summary().accepted() + a.get().summary().merged()
                        + b.get().summary().accepted() + b.get().summary().merged();
                assertThat(stored).as("round %d", round).isEqualTo(1);
                try (java.sql.Connection c = db.database().connection();
                     java.sql.PreparedStatement ps = c.prepareStatement("SELECT (SELECT COUNT(*) FROM cases WHERE "
                             + "source = 'twin' AND external_id = ?) + (SELECT COUNT(*) FROM case_sources WHERE "
                             + "source = 'twin' AND external_id = ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, id);
                    try (java.sql.ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        assertThat(rs.getInt(1)).as("round %d", round).isEqualTo(1);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void utcTextAndJsonStringsMatchWhatTheDriverAndEncoderWouldWrite() {
        assertThat(Sql.utc(Instant.parse("2022-04-01T08:05:09.007Z"))).isEqualTo("2022-04-01 08:05:09.007");
        assertThat(Sql.utc(Instant.parse("0999-12-31T23:59:59.999Z"))).isEqualTo("0999-12-31T23:59:59.999");
        assertThat(Sql.utc(null)).isNull();
        StringBuilder b = new StringBuilder();
        Sql.jsonString(b, "a\"b\\c\u0001\n张");
        assertThat(new io.vertx.core.json.JsonArray("[" + b + "]").getString(0)).isEqualTo("a\"b\\c\u0001\n张");
    }

    @Test
    void listFiltersAndPagesInStableOrder() {
        for (int i = 0; i < 5; i++) {
            push("page", "", row(i + 1, "L" + i, String.format("1390020%04d", i), i % 2 == 0 ? "红码" : "黄码",
                    "510199000001"));
        }
        CaseLedger.Filter f = new CaseLedger.Filter("510199", null, null, null, clock.instant(), null, 2);
        CaseLedger.Page p1 = ledger.list(f);
        CaseLedger.Page p2 = ledger.list(new CaseLedger.Filter("510199", null, null, null, clock.instant(), p1.next(), 2));
        CaseLedger.Page p3 = ledger.list(new CaseLedger.Filter("510199", null, null, null, clock.instant(), p2.next(), 2));
        assertThat(p1.cases()).hasSize(2);
        assertThat(p3.cases()).hasSize(1);
        assertThat(p3.next()).isNull();
        List<String> all = new ArrayList<>();
        for (CaseLedger.Page p : List.of(p1, p2, p3)) p.cases().forEach(c -> all.add(c.externalId()));
        assertThat(all).containsExactly("L0", "L1", "L2", "L3", "L4");

        assertThat(ledger.list(new CaseLedger.Filter("510199", null, Category.RED, null, clock.instant(), null, 10))
                .cases()).hasSize(3);
        Instant later = clock.instant().plus(Duration.ofHours(3));
        assertThat(ledger.list(new CaseLedger.Filter("510199", null, null, true, later, null, 10)).cases())
                .extracting(RiskCase::category).containsOnly(Category.RED);
        assertThat(ledger.list(new CaseLedger.Filter("510199", CaseStatus.NEW, null, false, later, null, 10)).cases())
                .hasSize(2);
    }
}
