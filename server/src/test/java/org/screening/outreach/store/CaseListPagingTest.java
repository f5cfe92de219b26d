package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** A client paging through the case list while imports commit must see every case, whatever order they commit in. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CaseListPagingTest {
    static final Instant T0 = Instant.parse("2022-04-01T00:00:00Z");
    static final String COMMUNITY = "510188000001";
    static final String OTHER = "510188000002";

    @Test
    void aBatchThatCommitsAfterALaterOneIsStillOnTheFollowingPage(TestDb db) throws Exception {
        CaseLedger ledger = new JdbcCaseLedger(db.database());
        String earlyId = CaseId.next(T0);
        String lateId = CaseId.next(T0.plusSeconds(1));
        try (Connection slow = db.database().connection()) {
            slow.setAutoCommit(false);
            insert(slow, earlyId, "E1", COMMUNITY); // an import that started first and is still committing
            try (Connection quick = db.database().connection()) {
                insert(quick, lateId, "L1", COMMUNITY); // autocommit: a later batch, committed first
            }
            CaseLedger.Page first = ledger.list(filter(null));
            assertThat(ids(first)).containsExactly(lateId);
            assertThat(first.next()).isNull();
            slow.commit();

            // A client that reached the end polls on from the last case it saw.
            CaseLedger.Page next = ledger.list(filter(lateId));
            assertThat(ids(next)).as("the case committed late comes after the cursor, not behind it")
                    .containsExactly(earlyId);
            assertThat(ledger.list(filter(earlyId)).cases()).isEmpty();
        }
    }

    @Test
    void aCursorThatNamesNoCaseListsNothing(TestDb db) throws Exception {
        CaseLedger ledger = new JdbcCaseLedger(db.database());
        try (Connection c = db.database().connection()) {
            insert(c, CaseId.next(T0), "N1", OTHER);
        }
        assertThat(ledger.list(new CaseLedger.Filter(OTHER, null, null, null, T0, null, 1)).cases()).hasSize(1);
        assertThat(ledger.list(new CaseLedger.Filter(OTHER, null, null, null, T0, CaseId.next(T0), 1)).cases())
                .isEmpty();
    }

    private static CaseLedger.Filter filter(String after) {
        return new CaseLedger.Filter(COMMUNITY, null, null, null, T0, after, 10);
    }

    private static List<String> ids(CaseLedger.Page p) {
        List<String> out = new ArrayList<>();
        p.cases().forEach((RiskCase c) -> out.add(c.id()));
        return out;
    }

    private static void insert(Connection c, String id, String externalId, String community) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cases (id, source, external_id, name, phone, "
                + "sms_capable, category, jurisdiction, received_at, deadline_at, status) VALUES (?, 'cdc', ?, '张三', "
                + "?, 1, 'RED', ?, '2022-04-01 00:00:00', '2022-04-01 02:00:00', 'NEW')")) {
            ps.setString(1, id);
            ps.setString(2, externalId);
            ps.setString(3, "+86138000" + String.format("%05d", Math.abs(externalId.hashCode()) % 100000));
            ps.setString(4, community);
            ps.executeUpdate();
        }
    }
}
