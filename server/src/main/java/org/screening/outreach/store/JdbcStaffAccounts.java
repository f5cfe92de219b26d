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
    public List<StaffUser> list(String prefix, int limit) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS
                + " FROM staff_accounts WHERE jurisdiction_prefix LIKE ? AND NOT disabled ORDER BY username LIMIT ?")) {
            ps.setString(1, prefix + "%");
            ps.setInt(2, limit);
            List<StaffUser> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(user(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("listing staff accounts failed", e);
        }
    }

    static StaffUser user(ResultSet rs) throws SQLException {
        return new StaffUser(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                Role.valueOf(rs.getString("role")), rs.getString("jurisdiction_prefix"), rs.getBoolean("admin"));
    }
}
