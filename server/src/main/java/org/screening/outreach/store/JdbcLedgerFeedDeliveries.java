package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.ledger.feed.Delivery;
import org.screening.outreach.ledger.feed.FeedCounts;

/**
 * The operators' side of the feed: deliveries by status within a jurisdiction, retries, gauges. A delivery is within
 * a jurisdiction when its case is filed there ({@link TransferFiling}): a case pushed here for another jurisdiction
 * is the deployment's, as its transfer is, so the tokens that see that transfer see the case's deliveries too.
 */
final class JdbcLedgerFeedDeliveries {
    /** The cursor, the event it waits on (head) and how many wait, for cases under a jurisdiction prefix. */
    private static final String SELECT = "SELECT k.id, k.destination, k.case_id, k.status, k.attempts, k.last_error, "
            + "k.last_status, k.first_failed_at, k.next_attempt_at, h.seq AS head_seq, h.type AS head_type, "
            + "(SELECT COUNT(*) FROM ledger_events w WHERE w.case_id = k.case_id AND w.seq > k.delivered_seq "
            + "AND w.seq <= k.pending_seq) AS waiting "
            + "FROM ledger_feed_cursors k JOIN cases c ON c.id = k.case_id "
            + "LEFT JOIN ledger_events h ON h.seq = (SELECT MIN(e.seq) FROM ledger_events e WHERE e.case_id = k.case_id "
            + "AND e.seq > k.delivered_seq AND e.seq <= k.pending_seq) "
            + "WHERE ";
    private final Database db;
    private final List<String> destinations;
    private final TransferFiling filing;

    JdbcLedgerFeedDeliveries(Database db, List<String> destinations, String ownPrefix) {
        this.db = db;
        this.destinations = destinations;
        this.filing = new TransferFiling(ownPrefix);
    }

    /** Binds the scope's parameters from index {@code from}; the next free index. */
    private static int bindScope(PreparedStatement ps, int from, TransferFiling.Where scope) throws SQLException {
        int p = from;
        for (Object v : scope.params()) ps.setString(p++, (String) v);
        return p;
    }

    List<Delivery> list(String status, String prefix, long afterId, int limit) {
        return Tx.run(db, "listing ledger deliveries", c -> {
            TransferFiling.Where scope = filing.filedWithin(prefix);
            try (PreparedStatement ps = c.prepareStatement(SELECT + scope.sql()
                    + " AND k.status = ? AND k.id > ? ORDER BY k.id LIMIT ?")) {
                int p = bindScope(ps, 1, scope);
                ps.setString(p, status);
                ps.setLong(p + 1, afterId);
                ps.setInt(p + 2, limit);
                return read(ps);
            }
        });
    }

    Optional<Delivery> find(long id, String prefix) {
        return Tx.run(db, "reading a ledger delivery", c -> {
            TransferFiling.Where scope = filing.filedWithin(prefix);
            try (PreparedStatement ps = c.prepareStatement(SELECT + scope.sql() + " AND k.id = ?")) {
                ps.setLong(bindScope(ps, 1, scope), id);
                return read(ps).stream().findFirst();
            }
        });
    }

    private static List<Delivery> read(PreparedStatement ps) throws SQLException {
        List<Delivery> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int status = rs.getInt("last_status");
                Integer lastStatus = rs.wasNull() ? null : status; // a timeout or refused connection had no HTTP status
                out.add(new Delivery(rs.getLong("id"), rs.getString("destination"), rs.getString("case_id"),
                        rs.getString("status"), rs.getLong("head_seq"), rs.getString("head_type"), rs.getLong("waiting"),
                        rs.getInt("attempts"), rs.getString("last_error"), lastStatus,
                        Sql.instant(rs, "first_failed_at"), Sql.instant(rs, "next_attempt_at")));
            }
        }
        return out;
    }

    boolean retry(long id, String prefix, Instant now) {
        return Tx.run(db, "retrying a ledger delivery", c -> {
            TransferFiling.Where scope = filing.filedWithin(prefix);
            try (PreparedStatement ps = c.prepareStatement(RETRY + scope.sql() + " AND k.id = ?")) {
                ps.setLong(bindRetry(ps, now, scope), id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    boolean skip(long id, String prefix, long headSeq, org.screening.outreach.domain.LedgerEvent record, Instant now) {
        return Tx.run(db, "skipping a parked ledger event", c -> {
            // Still parked on that very event (not retried, delivered or skipped by someone else meanwhile).
            TransferFiling.Where scope = filing.filedWithin(prefix);
            try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_feed_cursors k JOIN cases c ON c.id = k.case_id "
                    + "SET k.delivered_seq = ?, k.status = IF(k.pending_seq > ?, 'PENDING', 'IDLE'), k.attempts = 0, "
                    + "k.first_failed_at = NULL, k.next_attempt_at = ?, k.claim_token = NULL "
                    + "WHERE k.id = ? AND k.status = 'FAILED' AND k.delivered_seq < ? AND " + scope.sql()
                    + " AND NOT EXISTS (SELECT 1 FROM ledger_events e WHERE e.case_id = k.case_id "
                    + "AND e.seq > k.delivered_seq AND e.seq < ?)")) {
                ps.setLong(1, headSeq);
                ps.setLong(2, headSeq);
                ps.setTimestamp(3, Sql.ts(now));
                ps.setLong(4, id);
                ps.setLong(5, headSeq);
                ps.setLong(bindScope(ps, 6, scope), headSeq);
                if (ps.executeUpdate() != 1) return false;
            }
            Sql.insertEvent(c, record);
            return true;
        });
    }

    int retryAll(String prefix, Instant now) {
        return Tx.run(db, "retrying ledger deliveries", c -> {
            TransferFiling.Where scope = filing.filedWithin(prefix);
            try (PreparedStatement ps = c.prepareStatement(RETRY + scope.sql())) {
                bindRetry(ps, now, scope);
                return ps.executeUpdate();
            }
        });
    }

    /** Back in the queue now, with a fresh horizon; the last error stays for the record until the next try. */
    private static final String RETRY = "UPDATE ledger_feed_cursors k JOIN cases c ON c.id = k.case_id "
            + "SET k.status = 'PENDING', k.attempts = 0, k.first_failed_at = NULL, k.next_attempt_at = ? "
            + "WHERE k.status = 'FAILED' AND ";

    /** Binds the time and the scope's parameters; the next free index. */
    private static int bindRetry(PreparedStatement ps, Instant now, TransferFiling.Where scope) throws SQLException {
        ps.setTimestamp(1, Sql.ts(now));
        return bindScope(ps, 2, scope);
    }

    FeedCounts counts() {
        return Tx.run(db, "counting ledger deliveries", c -> {
            long pending = 0;
            long failed = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM ledger_feed_cursors "
                    + "WHERE status IN ('PENDING', 'FAILED') GROUP BY status");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(1).equals("PENDING")) pending = rs.getLong(2);
                    else failed = rs.getLong(2);
                }
            }
            long top;
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM ledger_events");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                top = rs.getLong(1);
            }
            // A configured destination without a watermark yet has read nothing: its lag is the whole ledger.
            java.util.Map<String, Long> scanned = new java.util.HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT destination, scanned_seq FROM ledger_feed_watermarks");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) scanned.put(rs.getString(1), rs.getLong(2));
            }
            long slowest = top;
            for (String d : destinations) slowest = Math.min(slowest, scanned.getOrDefault(d, 0L));
            return new FeedCounts(pending, failed, Math.max(0, top - slowest));
        });
    }
}
