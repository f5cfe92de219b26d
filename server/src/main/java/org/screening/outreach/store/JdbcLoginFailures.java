package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import org.screening.outreach.web.console.LoginFailures;

/** SQL behind {@link LoginFailures}. */
public final class JdbcLoginFailures implements LoginFailures {
    private final Database db;

    public JdbcLoginFailures(Database db) {
        this.db = db;
    }

    @Override
    public int count(String keyHash, Instant since) {
        return Tx.run(db, "counting failed logins", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM login_failures WHERE key_hash = ? AND failed_at > ?")) {
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
    public void add(List<String> keyHashes, Instant at) {
        Tx.run(db, "recording a failed login", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO login_failures (key_hash, failed_at) VALUES (?, ?)")) {
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
        update("clearing failed logins", "DELETE FROM login_failures WHERE key_hash = ?", ps -> ps.setString(1, keyHash));
    }

    @Override
    public int deleteUpTo(Instant cutoff) {
        return update("removing old failed logins", "DELETE FROM login_failures WHERE failed_at <= ?",
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
