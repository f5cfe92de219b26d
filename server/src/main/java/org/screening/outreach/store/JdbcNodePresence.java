package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import org.screening.outreach.dispatch.NodePresence;

/** SQL behind {@link NodePresence}: one row per dispatching node. */
public final class JdbcNodePresence implements NodePresence {
    /** Rows of nodes silent this long are removed (a restarted process comes back under a new name). */
    private static final Duration FORGET = Duration.ofHours(1);
    private final Database db;

    public JdbcNodePresence(Database db) {
        this.db = db;
    }

    @Override
    public int beat(String node, Instant now, Instant since) {
        // Nodes starting together beat at once, and their inserts and clean-ups can deadlock: the loser beats again.
        return Tx.retryingConflicts(db, "node heartbeat", 3, c -> {
            // Parameters bound twice rather than VALUES(): same SQL on MariaDB and MySQL 8.0.20+.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO dispatching_nodes (node, seen_at) VALUES (?, ?) "
                    + "ON DUPLICATE KEY UPDATE seen_at = ?")) {
                ps.setString(1, node);
                ps.setTimestamp(2, Sql.ts(now));
                ps.setTimestamp(3, Sql.ts(now));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dispatching_nodes WHERE seen_at < ?")) {
                ps.setTimestamp(1, Sql.ts(now.minus(FORGET)));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM dispatching_nodes WHERE seen_at >= ?")) {
                ps.setTimestamp(1, Sql.ts(since));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public void leave(String node) {
        Tx.run(db, "node leaving", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM dispatching_nodes WHERE node = ?")) {
                ps.setString(1, node);
                return ps.executeUpdate();
            }
        });
    }
}
