package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.screening.outreach.web.console.ConsoleSessions;

/** SQL behind {@link ConsoleSessions}. */
public final class JdbcConsoleSessions implements ConsoleSessions {
    private final Database db;

    public JdbcConsoleSessions(Database db) {
        this.db = db;
    }

    @Override
    public void create(String idHash, long accountId, String csrfToken, Instant now, Instant expiresAt) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO console_sessions (id_hash, account_id, csrf_token, created_at, last_seen_at, expires_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, idHash);
            ps.setLong(2, accountId);
            ps.setString(3, csrfToken);
            ps.setTimestamp(4, Sql.ts(now));
            ps.setTimestamp(5, Sql.ts(now));
            ps.setTimestamp(6, Sql.ts(expiresAt));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("creating a console session failed", e);
        }
    }

    @Override
    public Optional<Session> find(String idHash, Instant now) {
        // A disabled account loses its open sessions at once, not when they expire.
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT a.id, a.username, a.display_name, a.role, a.jurisdiction_prefix, a.admin, s.csrf_token, "
                        + "s.last_seen_at, s.expires_at FROM console_sessions s JOIN staff_accounts a ON a.id = s.account_id "
                        + "WHERE s.id_hash = ? AND s.expires_at > ? AND NOT a.disabled")) {
            ps.setString(1, idHash);
            ps.setTimestamp(2, Sql.ts(now));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Session(JdbcStaffAccounts.user(rs), rs.getString("csrf_token"),
                        Sql.instant(rs, "last_seen_at"), Sql.instant(rs, "expires_at")));
            }
        } catch (SQLException e) {
            throw new StoreException("reading a console session failed", e);
        }
    }

    @Override
    public void touch(String idHash, Instant now) {
        update("UPDATE console_sessions SET last_seen_at = ? WHERE id_hash = ?", now, idHash);
    }

    @Override
    public void delete(String idHash) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM console_sessions WHERE id_hash = ?")) {
            ps.setString(1, idHash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("ending a console session failed", e);
        }
    }

    @Override
    public int deleteExpired(Instant now) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM console_sessions WHERE expires_at <= ?")) {
            ps.setTimestamp(1, Sql.ts(now));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("removing expired console sessions failed", e);
        }
    }

    private void update(String sql, Instant at, String idHash) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Sql.ts(at));
            ps.setString(2, idHash);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("updating a console session failed", e);
        }
    }
}
