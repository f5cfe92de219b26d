package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import org.screening.outreach.web.console.LoginFailures;
import org.screening.outreach.web.report.RateHits;

/**
 * SQL behind the counts that throttle clients on every node alike: rows of (hashed key, time) in one table, counted
 * in a window. {@link #loginFailures} keeps failed console logins, {@link #rateHits} self-report submissions.
 */
public final class JdbcHitCounts implements LoginFailures, RateHits {
    private final Database db;
    private final String table;
    private final String atColumn;

    private JdbcHitCounts(Database db, String table, String atColumn) {
        this.db = db;
        this.table = table;
        this.atColumn = atColumn;
    }

    public static LoginFailures loginFailures(Database db) {
        return new JdbcHitCounts(db, "login_failures", "failed_at");
    }

    public static RateHits rateHits(Database db) {
        return new JdbcHitCounts(db, "rate_limit_hits", "hit_at");
    }

    @Override
    public int count(String keyHash, Instant since) {
        return Tx.run(db, "counting " + table, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM " + table + " WHERE key_hash = ? AND " + atColumn + " > ?")) {
                ps.setString(1, keyHash);
                ps.setTimestamp(2, Sql.ts(since));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public void add(String keyHash, Instant at) {
        add(List.of(keyHash), at);
    }

    @Override
    public void add(List<String> keyHashes, Instant at) {
        Tx.run(db, "recording " + table, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO " + table + " (key_hash, " + atColumn + ") VALUES (?, ?)")) {
                for (String k : keyHashes) {
                    ps.setString(1, k);
                    ps.setTimestamp(2, Sql.ts(at));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public void clear(String keyHash) {
        update("clearing " + table, "DELETE FROM " + table + " WHERE key_hash = ?", ps -> ps.setString(1, keyHash));
    }

    @Override
    public int deleteUpTo(Instant cutoff) {
        return update("removing old " + table, "DELETE FROM " + table + " WHERE " + atColumn + " <= ?",
                ps -> ps.setTimestamp(1, Sql.ts(cutoff)));
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws java.sql.SQLException;
    }

    private int update(String what, String sql, Binder binder) {
        return Tx.run(db, what, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                return ps.executeUpdate();
            }
        });
    }
}
