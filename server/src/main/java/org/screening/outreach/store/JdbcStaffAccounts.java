package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.Role;
import org.screening.outreach.web.console.StaffAccounts;
import org.screening.outreach.web.console.StaffUser;

/** SQL behind {@link StaffAccounts}. */
public final class JdbcStaffAccounts implements StaffAccounts {
    private static final String COLUMNS = "id, username, display_name, role, jurisdiction_prefix, admin";
    private static final int DUPLICATE_KEY = 1062;
    private final Database db;

    public JdbcStaffAccounts(Database db) {
        this.db = db;
    }

    @Override
    public long create(NewAccount a, Instant now) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO staff_accounts (username, password_hash, display_name, role, jurisdiction_prefix, admin, "
                        + "created_at, disabled) VALUES (?, ?, ?, ?, ?, ?, ?, FALSE)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, a.username());
            ps.setString(2, a.passwordHash());
            ps.setString(3, a.displayName());
            ps.setString(4, a.role().name());
            ps.setString(5, a.jurisdictionPrefix());
            ps.setBoolean(6, a.admin());
            ps.setTimestamp(7, Sql.ts(now));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            // The unique key decides, not a read before the insert: two admins creating the same name at once.
            if (e.getErrorCode() == DUPLICATE_KEY) throw new DuplicateUsername();
            throw new StoreException("creating a staff account failed", e);
        }
    }

    @Override
    public Optional<Stored> findByUsername(String username) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + ", password_hash, disabled FROM staff_accounts WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Stored(user(rs), rs.getString("password_hash"), rs.getBoolean("disabled")));
            }
        } catch (SQLException e) {
            throw new StoreException("reading a staff account failed", e);
        }
    }

    @Override
    public List<Listed> list(String prefix, int limit) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + ", disabled FROM staff_accounts WHERE jurisdiction_prefix LIKE ? ORDER BY username LIMIT ?")) {
            ps.setString(1, prefix + "%");
            ps.setInt(2, limit);
            List<Listed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(new Listed(user(rs), rs.getBoolean("disabled")));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("listing staff accounts failed", e);
        }
    }

    @Override
    public Toggle setDisabled(long accountId, boolean disabled, String actor, Instant now) {
        return Tx.run(db, "changing a staff account", c -> {
            if (disabled) {
                // Locks every enabled admin row: a concurrent disable of another admin waits here and then counts anew.
                List<Long> admins = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id FROM staff_accounts WHERE admin AND NOT disabled FOR UPDATE");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) admins.add(rs.getLong(1));
                }
                if (admins.contains(accountId) && admins.size() <= 1) return Toggle.LAST_ADMIN;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT disabled FROM staff_accounts WHERE id = ? FOR UPDATE")) {
                ps.setLong(1, accountId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Toggle.NOT_FOUND;
                    if (rs.getBoolean(1) == disabled) return Toggle.DONE; // already so: nothing to record
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE staff_accounts SET disabled = ? WHERE id = ?")) {
                ps.setBoolean(1, disabled);
                ps.setLong(2, accountId);
                ps.executeUpdate();
            }
            // A disabled account's sessions end now, and an enabled one does not get its old sessions back.
            if (disabled) endSessions(c, accountId, null);
            recordChange(c, accountId, disabled ? "DISABLED" : "ENABLED", actor, now);
            return Toggle.DONE;
        });
    }

    @Override
    public boolean setPassword(long accountId, String passwordHash, String keepSessionHash, String actor, Instant now) {
        return Tx.run(db, "setting a staff password", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE staff_accounts SET password_hash = ? WHERE id = ?")) {
                ps.setString(1, passwordHash);
                ps.setLong(2, accountId);
                if (ps.executeUpdate() == 0) return false;
            }
            endSessions(c, accountId, keepSessionHash);
            recordChange(c, accountId, "PASSWORD_SET", actor, now);
            return true;
        });
    }

    private static void endSessions(Connection c, long accountId, String keepSessionHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM console_sessions WHERE account_id = ? AND id_hash <> ?")) {
            ps.setLong(1, accountId);
            ps.setString(2, keepSessionHash == null ? "" : keepSessionHash);
            ps.executeUpdate();
        }
    }

    private static void recordChange(Connection c, long accountId, String kind, String actor, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO staff_account_changes (account_id, change_kind, actor, changed_at) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, accountId);
            ps.setString(2, kind);
            ps.setString(3, actor);
            ps.setTimestamp(4, Sql.ts(now));
            ps.executeUpdate();
        }
    }

    static StaffUser user(ResultSet rs) throws SQLException {
        return new StaffUser(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.valueOf(rs.getString("role")), rs.getString("jurisdiction_prefix"), rs.getBoolean("admin"));
    }
}
