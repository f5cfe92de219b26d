package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.intake.CaseStore;
import org.screening.outreach.intake.CaseSubmission;
import org.screening.outreach.intake.CaseValidator;
import org.screening.outreach.intake.IntakeListener;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.RowError;
import org.screening.outreach.privacy.IdKey;
import org.screening.outreach.privacy.IdNumbers;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.TestIdKeys;

/**
 * ID numbers at rest on a real MariaDB: no plaintext in any column after intake, de-duplication by ID number through
 * the blind index, plaintext rows of earlier versions encrypted at start, and a key rotation. The tests that change
 * keys have a schema of their own (the start-up check records the index key per database); the others share one.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class IdNumbersAtRestTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2022-04-01T01:00:00Z"), ZoneOffset.UTC);
    static final String ID = org.screening.outreach.support.IdNumbers.valid("51010419900101123");
    static final String OTHER_ID = org.screening.outreach.support.IdNumbers.valid("51010419851231456");
    static final String ARRIVAL_ID = org.screening.outreach.support.IdNumbers.valid("51010419770707070");
    static final String THIRD_ID = org.screening.outreach.support.IdNumbers.valid("51010420010203789");

    @Test
    void intakeStoresNoIdNumberInClearAnywhereAndReadsItBack(TestDb t) throws Exception {
        {
            IdNumberUpgrade.run(t.database());
            // An arrival case makes a known_persons row too: both tables are checked.
            List<CaseStore.Stored> s = push(t.database(), "cdc", row("A1", "张三", "13800001001", ARRIVAL_ID, "来返人员"));
            assertThat(s.get(0).outcome()).isEqualTo(CaseStore.Outcome.CREATED);
            for (String table : List.of("cases", "known_persons")) {
                List<String> cells = rawCells(t.database(), table);
                assertThat(cells).as(table).isNotEmpty();
                assertThat(String.join("|", cells)).as(table).doesNotContain(ARRIVAL_ID.substring(0, 14))
                        .doesNotContain(ARRIVAL_ID.substring(6, 14)).contains("1:" + IdKey.of(TestIdKeys.key(1)).id() + ":");
            }
            assertThat(String.join("|", rawCells(t.database(), "ledger_events"))).doesNotContain(ARRIVAL_ID.substring(6, 14));
            assertThat(new JdbcCaseLedger(t.database()).find(s.get(0).caseId()).orElseThrow().idNumber()).isEqualTo(ARRIVAL_ID);
        }
    }

    @Test
    void aPersonUnderControlIsFoundByIdNumberThroughTheBlindIndex(TestDb t) {
        {
            IdNumberUpgrade.run(t.database());
            push(t.database(), "list", row("L1", "张三", "13800001011", OTHER_ID.toLowerCase(), "已纳入管控"));
            // Another phone and name: only the ID number can match, and only through the index.
            List<CaseStore.Stored> s = push(t.database(), "cdc", row("R1", "李四", "13900001012", OTHER_ID, "红码"),
                    row("R2", "王五", "13900001013", THIRD_ID, "红码"));
            assertThat(s).extracting(CaseStore.Stored::outcome)
                    .containsExactly(CaseStore.Outcome.DUPLICATE_UNDER_CONTROL, CaseStore.Outcome.CREATED);
        }
    }

    @Test
    void plaintextRowsOfAnEarlierVersionAreEncryptedAtStartAndStillMatch(TestDb t) throws Exception {
        {
            // As V16 left them: the ID number in the clear, nothing encrypted.
            exec(t.database(), "INSERT INTO cases (id, source, external_id, name, phone, sms_capable, id_number, category, "
                    + "jurisdiction, received_at, deadline_at, status) VALUES ('01FZZZZZZZZZZZZZZZZZZZZZZ1', 'old', 'O1', "
                    + "'张三', '+8613800001021', 1, '" + ID + "', 'RED', '510104001001', '2022-04-01 00:00:00', "
                    + "'2022-04-01 02:00:00', 'CLOSED')");
            exec(t.database(), "INSERT INTO known_persons (id, kind, source, external_id, name, phone, id_number, "
                    + "jurisdiction, known_at) VALUES ('01FZZZZZZZZZZZZZZZZZZZZZZ2', 'CONTROL_LIST', 'list', 'L0', '张三', "
                    + "'+8613800001021', '" + ID + "', '510104001001', '2022-04-01 00:30:00')");

            assertThat(IdNumberUpgrade.run(t.database())).isEqualTo(2);
            assertThat(IdNumberUpgrade.run(t.database())).as("nothing left the second time").isZero();

            for (String table : List.of("cases", "known_persons")) {
                assertThat(String.join("|", rawCells(t.database(), table))).as(table).doesNotContain(ID.substring(0, 14));
            }
            assertThat(new JdbcCaseLedger(t.database()).find("01FZZZZZZZZZZZZZZZZZZZZZZ1").orElseThrow().idNumber())
                    .isEqualTo(ID);
            assertThat(push(t.database(), "cdc", row("N1", "李四", "13900001022", ID, "黄码")).get(0).outcome())
                    .isEqualTo(CaseStore.Outcome.DUPLICATE_UNDER_CONTROL);
        }
    }

    @Test
    void rotationReEncryptsRowsUnderTheOldKeyAndTheIndexKeepsMatching() throws Exception {
        try (TestDb t = MariaDbExtension.freshSchema()) {
            IdNumberUpgrade.run(t.database());
            push(t.database(), "list", row("L1", "张三", "13800001031", ID, "已纳入管控"));
            String caseId = push(t.database(), "cdc", row("C1", "赵六", "13800001032", OTHER_ID, "黄码")).get(0).caseId();
            String oldKeyId = IdKey.of(TestIdKeys.key(1)).id();
            String newKeyId = IdKey.of(TestIdKeys.key(3)).id();

            // The new key current, the old one decrypt-only, the index key unchanged.
            try (Database rotating = connect(t, IdNumbers.of(TestIdKeys.key(3), List.of(TestIdKeys.key(1)), TestIdKeys.key(2)))) {
                IdNumberUpgrade.run(rotating);
                assertThat(new JdbcCaseLedger(rotating).find(caseId).orElseThrow().idNumber()).isEqualTo(OTHER_ID);
                JdbcIdNumberRotation rotation = new JdbcIdNumberRotation(rotating, CLOCK);
                int moved = 0;
                for (int n = rotation.step(); n >= 0; n = rotation.step()) moved += n;
                assertThat(moved).isEqualTo(2); // the case, and the list row (a list row is no case; a yellow case no known person)
                assertThat(rotation.step()).as("resting after a pass that found nothing").isEqualTo(-1);
            }
            for (String table : List.of("cases", "known_persons")) {
                assertThat(String.join("|", rawCells(t.database(), table))).as(table)
                        .doesNotContain(":" + oldKeyId + ":").contains(":" + newKeyId + ":");
            }
            // Once rotated, the old key is not needed: a node with the new key alone reads and matches everything.
            try (Database rotated = connect(t, IdNumbers.of(TestIdKeys.key(3), List.of(), TestIdKeys.key(2)))) {
                IdNumberUpgrade.run(rotated);
                assertThat(new JdbcCaseLedger(rotated).find(caseId).orElseThrow().idNumber()).isEqualTo(OTHER_ID);
                assertThat(push(rotated, "cdc2", row("C2", "孙七", "13900001033", ID, "红码")).get(0).outcome())
                        .isEqualTo(CaseStore.Outcome.DUPLICATE_UNDER_CONTROL);
            }
        }
    }

    @Test
    void aNodeWithKeysThatDoNotMatchTheDataRefusesToStart() {
        try (TestDb t = MariaDbExtension.freshSchema()) {
            IdNumberUpgrade.run(t.database());
            push(t.database(), "cdc", row("K1", "张三", "13800001041", ID, "红码"));
            try (Database otherIndex = connect(t, IdNumbers.of(TestIdKeys.key(1), List.of(), TestIdKeys.key(9)));
                 Database otherKey = connect(t, IdNumbers.of(TestIdKeys.key(9), List.of(), TestIdKeys.key(2)))) {
                assertThatThrownBy(() -> IdNumberUpgrade.run(otherIndex)).hasMessageContaining("OUTREACH_ID_INDEX_KEY");
                assertThatThrownBy(() -> IdNumberUpgrade.run(otherKey)).hasMessageContaining("cannot be read")
                        .hasMessageContaining(IdKey.of(TestIdKeys.key(1)).id());
            }
        }
    }

    static Database connect(TestDb t, IdNumbers keys) {
        return Database.connect(t.url(), "root", "", 2, keys);
    }

    static CaseSubmission row(String externalId, String name, String phone, String idNumber, String category) {
        return new CaseSubmission(1, externalId, name, phone, idNumber, category, "510104001001", "");
    }

    static List<CaseStore.Stored> push(Database db, String source, CaseSubmission... rows) {
        IntakeService intake = new IntakeService(new JdbcCaseStore(db, new ContactPlanner(RetryPlans.defaults(),
                QuietHours.defaults())), new CaseValidator(Deadlines.defaults(), ZoneId.of("Asia/Shanghai")), CLOCK, 10);
        List<CaseStore.Stored> out = new ArrayList<>();
        List<RowError> errors = new ArrayList<>();
        intake.ingest(source, "", "test", sink -> List.of(rows).forEach(sink), new IntakeListener() {
            @Override
            public void stored(CaseSubmission row, CaseStore.Stored stored) {
                out.add(stored);
            }

            @Override
            public void rejected(RowError error) {
                errors.add(error);
            }
        });
        assertThat(errors).isEmpty();
        return out;
    }

    /** Every cell of every row, as text (binary cells in hex), straight from JDBC. */
    static List<String> rawCells(Database db, String table) throws Exception {
        List<String> cells = new ArrayList<>();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            while (rs.next()) {
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    cells.add(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v));
                }
            }
        }
        return cells;
    }

    static void exec(Database db, String sql) throws Exception {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.executeUpdate();
        }
    }
}
