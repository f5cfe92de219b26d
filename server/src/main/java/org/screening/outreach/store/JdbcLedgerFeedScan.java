package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.screening.outreach.ledger.feed.WatermarkWalk;

/**
 * The scan step of the ledger feed: ledger_events is the outbox, read in seq order after a destination's watermark.
 * Intake's hot path is untouched (no row per event is written anywhere else); the cost is one cursor upsert per
 * case and batch here, in the background.
 */
final class JdbcLedgerFeedScan {
    private final Database db;

    JdbcLedgerFeedScan(Database db) {
        this.db = db;
    }

    private record Watermark(long scanned, Instant gapSince, long gapTop) {}

    int scan(String destination, Instant now, Duration grace, int limit) {
        return Tx.run(db, "scanning the ledger for the feed", c -> {
            Watermark w = lockWatermark(c, destination);
            if (w == null) return 0; // another node is scanning this destination
            List<Long> read = new ArrayList<>();
            List<String> caseIds = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, case_id FROM ledger_events WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, w.scanned());
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        read.add(rs.getLong(1));
                        caseIds.add(rs.getString(2));
                    }
                }
            }
            long[] seqs = read.stream().mapToLong(Long::longValue).toArray();
            WatermarkWalk.Step step = WatermarkWalk.walk(w.scanned(), w.gapSince(), w.gapTop(), seqs, now, grace,
                    this::noOpenInsert);
            // Lowest and highest passed seq per case (read in seq order: the first seen and the last), in case id
            // order so concurrent writers lock rows in one order.
            Map<String, long[]> passed = new TreeMap<>();
            for (int i = 0; i < step.passed(); i++) {
                long seq = seqs[i];
                passed.computeIfAbsent(caseIds.get(i), k -> new long[] {seq, seq})[1] = seq;
            }
            markPending(c, destination, passed, now);
            try (PreparedStatement ps = c.prepareStatement("UPDATE ledger_feed_watermarks SET scanned_seq = ?, "
                    + "gap_since = ?, gap_top = ? WHERE destination = ?")) {
                ps.setLong(1, step.watermark());
                ps.setTimestamp(2, Sql.ts(step.gapSince()));
                ps.setLong(3, step.gapTop());
                ps.setString(4, destination);
                ps.executeUpdate();
            }
            return step.passed();
        });
    }

    /** The destination's watermark, locked for this scan; null when another node holds it. */
    private static Watermark lockWatermark(Connection c, String destination) throws SQLException {
        Watermark w = readWatermark(c, destination);
        if (w != null) return w;
        // No row, or a row another node holds: only create it when it does not exist (a plain read, no waiting).
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ledger_feed_watermarks WHERE destination = ?")) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) return null;
            }
        }
        // A new destination starts at the beginning of the ledger: it receives every case's whole history.
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT IGNORE INTO ledger_feed_watermarks (destination, scanned_seq) VALUES (?, 0)")) {
            ps.setString(1, destination);
            ps.executeUpdate();
        }
        return readWatermark(c, destination);
    }

    private static Watermark readWatermark(Connection c, String destination) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT scanned_seq, gap_since, gap_top FROM ledger_feed_watermarks "
                + "WHERE destination = ? FOR UPDATE SKIP LOCKED")) {
            ps.setString(1, destination);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Watermark(rs.getLong(1), Sql.instant(rs, "gap_since"), rs.getLong(3)) : null;
            }
        }
    }

    /**
     * Deletes up to {@code limit} cursors that have sent everything and were last claimed before {@code idleBefore}:
     * one row per case and destination would otherwise stay for ever. Safe at any time: an IDLE cursor owes nothing,
     * a scan that marks it meanwhile makes it PENDING first (the delete re-reads the row it locks), and a case's next
     * event makes a new cursor that starts just below that event (see {@link #markPending}).
     */
    int prune(Instant idleBefore, int limit) {
        return Tx.run(db, "pruning idle ledger cursors", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ledger_feed_cursors WHERE status = 'IDLE' "
                    + "AND next_attempt_at < ? AND delivered_seq = pending_seq LIMIT ?")) {
                ps.setTimestamp(1, Sql.ts(idleBefore));
                ps.setInt(2, limit);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * True when no transaction holds an uncommitted ledger row in [from, to]: a locking read that refuses to wait
     * fails on such a row (an insert locks its row until commit), and finds nothing of a rolled-back one. Run on its
     * own connection in autocommit, so the locks it takes end with the statement.
     */
    private boolean noOpenInsert(long from, long to) {
        try (Connection p = db.connection();
             PreparedStatement ps = p.prepareStatement("SELECT seq FROM ledger_events WHERE seq BETWEEN ? AND ? "
                     + "FOR UPDATE NOWAIT")) {
            p.setAutoCommit(true);
            ps.setLong(1, from);
            ps.setLong(2, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // reading through is the probe; the rows themselves are not needed
                }
            }
            return true;
        } catch (SQLException e) {
            return false; // locked (an insert still open), or the database is busy: wait and probe again
        }
    }

    /** {@code passed}: per case, the lowest and highest seq this step passed. */
    private static void markPending(Connection c, String destination, Map<String, long[]> passed, Instant now)
            throws SQLException {
        if (passed.isEmpty()) return;
        // A new cursor starts just below the case's first event passed now: the watermark is contiguous, so the
        // case's earlier events were passed by earlier steps, which made a cursor that delivered them (and was
        // pruned once idle, see #prune) or made this destination's cursor already.
        // An IDLE cursor becomes due now; a PENDING one keeps its time (it may be backing off); a FAILED one stays
        // parked, and the new events wait behind the parked one so the case's order holds.
        // Parameters bound twice rather than VALUES() (deprecated on MySQL 8.0.20+, still the only form MariaDB has).
        // Assignments apply left to right: next_attempt_at reads the status before it changes.
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ledger_feed_cursors (destination, case_id, "
                + "delivered_seq, pending_seq, status, next_attempt_at) VALUES (?, ?, ?, ?, 'PENDING', ?) "
                + "ON DUPLICATE KEY UPDATE "
                + "next_attempt_at = IF(status = 'IDLE', ?, next_attempt_at), "
                + "status = IF(status = 'IDLE', 'PENDING', status), "
                + "pending_seq = GREATEST(pending_seq, ?)")) {
            for (Map.Entry<String, long[]> e : passed.entrySet()) {
                ps.setString(1, destination);
                ps.setString(2, e.getKey());
                ps.setLong(3, e.getValue()[0] - 1);
                ps.setLong(4, e.getValue()[1]);
                ps.setTimestamp(5, Sql.ts(now));
                ps.setTimestamp(6, Sql.ts(now));
                ps.setLong(7, e.getValue()[1]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
