package org.screening.outreach.store;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.ledger.feed.CursorClaim;
import org.screening.outreach.ledger.feed.Delivery;
import org.screening.outreach.ledger.feed.FeedCounts;
import org.screening.outreach.ledger.feed.FeedEvent;
import org.screening.outreach.ledger.feed.LedgerFeedStore;
import org.screening.outreach.ledger.feed.Settlement;

/**
 * SQL behind {@link LedgerFeedStore}: the scan ({@link JdbcLedgerFeedScan}), claims of due cursors with
 * {@code FOR UPDATE SKIP LOCKED} and a lease, settling under the claim token, and the operators' views
 * ({@link JdbcLedgerFeedDeliveries}). Only the configured destinations are claimed: cursors of a destination taken
 * out of the configuration stay as they are (and stay listed for operators).
 */
public final class JdbcLedgerFeed implements LedgerFeedStore {
    private final Database db;
    private final List<String> destinations;
    private final JdbcLedgerFeedScan scan;
    private final JdbcLedgerFeedDeliveries deliveries;

    /** A deployment where everything is ours (no OUTREACH_JURISDICTION). */
    public JdbcLedgerFeed(Database db, List<String> destinations) {
        this(db, destinations, "");
    }

    /** {@code ownPrefix}: OUTREACH_JURISDICTION, under whose code the deliveries of foreign pushes are listed. */
    public JdbcLedgerFeed(Database db, List<String> destinations, String ownPrefix) {
        this.db = db;
        this.destinations = List.copyOf(destinations);
        this.scan = new JdbcLedgerFeedScan(db);
        this.deliveries = new JdbcLedgerFeedDeliveries(db, this.destinations, ownPrefix == null ? "" : ownPrefix);
    }

    @Override
    public int scan(String destination, Instant now, Duration gapGrace, int limit) {
        return scan.scan(destination, now, gapGrace, limit);
    }

    @Override
    public int prune(Instant idleBefore, int limit) {
        return scan.prune(idleBefore, limit);
    }

    @Override
    public List<CursorClaim> claim(Instant now, Instant leaseUntil, int cases, int eventsPerCase) {
        if (destinations.isEmpty()) return List.of();
        return Tx.run(db, "claiming ledger deliveries", c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM ledger_feed_cursors WHERE status = 'PENDING' "
                    + "AND next_attempt_at <= ? AND destination IN (" + JdbcCaseStore.marks(destinations.size())
                    + ") ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                int p = 1;
                ps.setTimestamp(p++, Sql.ts(now));
                for (String d : destinations) ps.setString(p++, d);
                ps.setInt(p, cases);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getLong(1));
                }
            }
            if (ids.isEmpty()) return List.of();
            String token = Sql.claimToken();
            String in = JdbcCaseStore.marks(ids.size());
            // The lease is the due time itself: nobody claims the cursor again until it has run out.
            try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_feed_cursors SET next_attempt_at = ?, "
                    + "claim_token = ? WHERE id IN (" + in + ")")) {
                ps.setTimestamp(1, Sql.ts(leaseUntil));
                ps.setString(2, token);
                for (int i = 0; i < ids.size(); i++) ps.setLong(i + 3, ids.get(i));
                ps.executeUpdate();
            }
            List<CursorClaim> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, destination, case_id, delivered_seq, pending_seq, "
                    + "attempts, first_failed_at FROM ledger_feed_cursors WHERE id IN (" + in + ") ORDER BY id")) {
                for (int i = 0; i < ids.size(); i++) ps.setLong(i + 1, ids.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long delivered = rs.getLong("delivered_seq");
                        List<FeedEvent> events = events(c, rs.getString("case_id"), delivered, rs.getLong("pending_seq"),
                                eventsPerCase);
                        out.add(new CursorClaim(rs.getLong("id"), token, rs.getString("destination"),
                                rs.getString("case_id"), delivered, rs.getInt("attempts"),
                                Sql.instant(rs, "first_failed_at"), events));
                    }
                }
            }
            for (CursorClaim k : out) {
                if (k.events().isEmpty()) idle(c, k.id()); // nothing readable waits (cannot happen; never loop on it)
            }
            return out.stream().filter(k -> !k.events().isEmpty()).toList();
        });
    }

    /**
     * The case's events after {@code delivered} up to {@code pending} (all final, see the scan), oldest first. The
     * first one's predecessor is the case's last event at or below {@code delivered}: the last one delivered, or
     * for a cursor made after an earlier one was pruned (its {@code delivered} is just below its first new event)
     * the one that earlier cursor delivered last. Read in the same statement, as the row the range starts on.
     */
    private static List<FeedEvent> events(Connection c, String caseId, long delivered, long pending, int limit)
            throws SQLException {
        List<FeedEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT e.seq, e.type, e.at, e.actor, e.data, k.source, "
                + "k.external_id, k.jurisdiction FROM ledger_events e LEFT JOIN cases k ON k.id = e.case_id "
                + "WHERE e.case_id = ? AND e.seq <= ? AND e.seq >= (SELECT COALESCE(MAX(p.seq), 0) FROM ledger_events p "
                + "WHERE p.case_id = ? AND p.seq <= ?) ORDER BY e.seq LIMIT ?")) {
            ps.setString(1, caseId);
            ps.setLong(2, pending);
            ps.setString(3, caseId);
            ps.setLong(4, delivered);
            ps.setInt(5, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                long previous = 0;
                while (rs.next()) {
                    long seq = rs.getLong("seq");
                    if (seq <= delivered) { // the predecessor itself, sent before
                        previous = seq;
                        continue;
                    }
                    if (out.size() == limit) break;
                    out.add(new FeedEvent(seq, previous, caseId, rs.getString("source"), rs.getString("external_id"),
                            rs.getString("jurisdiction"), rs.getString("type"), Sql.instant(rs, "at"),
                            rs.getString("actor"), new JsonObject(rs.getString("data")).getMap()));
                    previous = seq;
                }
            }
        }
        return out;
    }

    private static void idle(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_feed_cursors SET delivered_seq = pending_seq, "
                + "status = 'IDLE', claim_token = NULL WHERE id = ?")) {
            ps.setLong(1, id);
            ps.executeUpdate();
        }
    }

    @Override
    public boolean settle(Settlement s) {
        return Tx.run(db, "settling a ledger delivery", c -> {
            // The status is decided against pending_seq as it is now: events the scan marked meanwhile keep it due.
            try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_feed_cursors SET "
                    + "delivered_seq = GREATEST(delivered_seq, ?), attempts = ?, first_failed_at = ?, last_error = ?, "
                    + "last_status = ?, next_attempt_at = ?, "
                    + "status = CASE WHEN ? THEN 'FAILED' WHEN pending_seq > ? THEN 'PENDING' ELSE 'IDLE' END, "
                    + "claim_token = NULL WHERE id = ? AND claim_token = ?")) {
                ps.setLong(1, s.deliveredSeq());
                ps.setInt(2, s.attempts());
                ps.setTimestamp(3, Sql.ts(s.firstFailedAt()));
                ps.setString(4, s.lastError() == null ? null : clip(s.lastError()));
                if (s.lastStatus() == null) ps.setNull(5, java.sql.Types.INTEGER);
                else ps.setInt(5, s.lastStatus());
                ps.setTimestamp(6, Sql.ts(s.nextAttemptAt()));
                ps.setBoolean(7, s.parked());
                ps.setLong(8, s.deliveredSeq());
                ps.setLong(9, s.cursorId());
                ps.setString(10, s.claimToken());
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static String clip(String text) {
        return text.length() <= 300 ? text : text.substring(0, 299) + "…";
    }

    @Override
    public List<Delivery> list(String status, String jurisdictionPrefix, long afterId, int limit) {
        return deliveries.list(status, jurisdictionPrefix, afterId, limit);
    }

    @Override
    public Optional<Delivery> find(long id, String jurisdictionPrefix) {
        return deliveries.find(id, jurisdictionPrefix);
    }

    @Override
    public boolean retry(long id, String jurisdictionPrefix, Instant now) {
        return deliveries.retry(id, jurisdictionPrefix, now);
    }

    @Override
    public boolean skip(long id, String jurisdictionPrefix, long headSeq, org.screening.outreach.domain.LedgerEvent record,
                        Instant now) {
        return deliveries.skip(id, jurisdictionPrefix, headSeq, record, now);
    }

    @Override
    public int retryAll(String jurisdictionPrefix, Instant now) {
        return deliveries.retryAll(jurisdictionPrefix, now);
    }

    @Override
    public FeedCounts counts() {
        return deliveries.counts();
    }
}
