package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.screening.outreach.ledger.feed.CursorClaim;
import org.screening.outreach.ledger.feed.FeedEvent;
import org.screening.outreach.ledger.feed.ScanLedgerJob;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * The watermark hazard: seqs are allocated at insert and become visible at commit, so a higher seq can be seen
 * before a lower one. The scanner must neither skip the late one nor let the case's events go out of order.
 */
@Tag("db")
class JdbcLedgerFeedScanTest {
    static final Duration GRACE = ScanLedgerJob.GAP_GRACE;
    final MutableClock clock = new MutableClock(Instant.parse("2022-04-01T01:00:00Z"));
    /** A schema per test: another test's rolled-back seq would be a gap in this one's ledger. */
    TestDb db;

    @BeforeEach
    void schema() {
        db = MariaDbExtension.freshSchema();
    }

    @AfterEach
    void close() {
        db.close();
    }

    static long insert(Connection c, String caseId, String type) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_events (case_id, type, at, actor, data) "
                + "VALUES (?, ?, '2022-04-01 01:00:00', 'test', '{}')", PreparedStatement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, caseId);
            ps.setString(2, type);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    CursorClaim claimOf(JdbcLedgerFeed feed, String caseId) {
        List<CursorClaim> claims = feed.claim(clock.instant(), clock.instant().plusSeconds(60), 100, 20);
        return claims.stream().filter(c -> c.caseId().equals(caseId)).findFirst().orElse(null);
    }

    @Test
    void anEventCommittedAfterAHigherOneIsNeitherSkippedNorSentOutOfOrder() throws Exception {
        String dest = "http://late-commit.example/in";
        String caseA = "01LATECOMMITAAAAAAAAAAAAAA";
        String caseB = "01LATECOMMITBBBBBBBBBBBBBB";
        JdbcLedgerFeed feed = new JdbcLedgerFeed(db.database(), List.of(dest));
        long early;
        long late;
        long other;
        try (Connection open = db.database().connection()) {
            open.setAutoCommit(false);
            early = insert(open, caseA, "FIRST"); // allocated, not committed
            try (Connection c = db.database().connection()) {
                late = insert(c, caseA, "SECOND");
                other = insert(c, caseB, "ELSEWHERE");
            }
            assertThat(late).isGreaterThan(early);

            assertThat(feed.scan(dest, clock.instant(), GRACE, 1000)).isZero();
            clock.advance(Duration.ofMinutes(10)); // far past the grace: only the probe holds the watermark now
            assertThat(feed.scan(dest, clock.instant(), GRACE, 1000)).isZero();
            assertThat(claimOf(feed, caseA)).as("nothing of case A is due while its first event is open").isNull();
            open.commit();
        }
        assertThat(feed.scan(dest, clock.instant(), GRACE, 1000)).isEqualTo(3);
        CursorClaim a = claimOf(feed, caseA);
        assertThat(a.events()).extracting(FeedEvent::seq).containsExactly(early, late);
        assertThat(a.events()).extracting(FeedEvent::type).containsExactly("FIRST", "SECOND");
        assertThat(a.events().get(1).previousSeq()).isEqualTo(early);
        assertThat(feed.counts().scanLag()).isZero();
        assertThat(other).isGreaterThan(late);
    }

    @Test
    void aRolledBackInsertLeavesAGapThatIsPassedOnceTheGraceIsOver() throws Exception {
        String dest = "http://rollback.example/in";
        String caseC = "01ROLLBACKCCCCCCCCCCCCCCCC";
        JdbcLedgerFeed feed = new JdbcLedgerFeed(db.database(), List.of(dest));
        long gone;
        try (Connection open = db.database().connection()) {
            open.setAutoCommit(false);
            gone = insert(open, caseC, "NEVER");
            open.rollback();
        }
        long kept;
        try (Connection c = db.database().connection()) {
            kept = insert(c, caseC, "KEPT");
        }
        assertThat(kept).isGreaterThan(gone);
        assertThat(feed.scan(dest, clock.instant(), GRACE, 1000)).isZero();
        clock.advance(GRACE.minusSeconds(1));
        assertThat(feed.scan(dest, clock.instant(), GRACE, 1000)).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(feed.scan(dest, clock.instant(), GRACE, 1000)).isEqualTo(1);
        assertThat(claimOf(feed, caseC).events()).extracting(FeedEvent::seq).containsExactly(kept);
    }

    @Test
    void oneNodeScansADestinationAtATime() throws Exception {
        String dest = "http://two-nodes.example/in";
        JdbcLedgerFeed feed = new JdbcLedgerFeed(db.database(), List.of(dest));
        assertThat(feed.scan(dest, clock.instant(), GRACE, 1000)).isZero(); // creates the watermark
        try (Connection c = db.database().connection()) {
            insert(c, "01TWONODESDDDDDDDDDDDDDDDD", "X");
        }
        try (Connection holder = db.database().connection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement ps = holder.prepareStatement(
                    "SELECT scanned_seq FROM ledger_feed_watermarks WHERE destination = ? FOR UPDATE")) {
                ps.setString(1, dest);
                ps.executeQuery().close();
            }
            assertThat(feed.scan(dest, clock.instant(), GRACE, 1000)).as("the other node holds it").isZero();
            holder.rollback();
        }
        assertThat(feed.scan(dest, clock.instant(), GRACE, 1000)).isEqualTo(1);
    }
}
