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
import org.screening.outreach.web.auth.ApiTokenStore;
import org.screening.outreach.web.auth.Caller;

/** SQL behind {@link ApiTokenStore}. */
public final class JdbcApiTokenStore implements ApiTokenStore {
    private final Database db;

    public JdbcApiTokenStore(Database db) {
        this.db = db;
    }

    @Override
    public Optional<Caller> findByHash(String hash) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, name, role, jurisdiction_prefix, admin FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                return Optional.of(new Caller(rs.getLong(1), rs.getString(2), Role.valueOf(rs.getString(3)),
                        rs.getString(4), rs.getBoolean(5)));
            }
        } catch (SQLException e) {
            throw new StoreException("reading an API token failed", e);
        }
    }

    @Override
    public long create(String name, String hash, Role role, String prefix, boolean admin, Instant now) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO api_tokens (name, token_hash, role, jurisdiction_prefix, admin, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, name);
            ps.setString(2, hash);
            ps.setString(3, role.name());
            ps.setString(4, prefix);
            ps.setBoolean(5, admin);
            ps.setTimestamp(6, Sql.ts(now));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("creating an API token failed", e);
        }
    }

    @Override
    public boolean hasAdmin() {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_tokens WHERE admin LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw new StoreException("reading API tokens failed", e);
        }
    }

    @Override
    public boolean known(String hash) {
        return Tx.run(db, "reading an API token", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM api_tokens WHERE token_hash = ?")) {
                ps.setString(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    private static final String LISTED = "SELECT id, name, role, jurisdiction_prefix, admin, created_at, revoked_at, "
            + "revoked_by FROM api_tokens ";

    @Override
    public List<Listed> list(String prefix) {
        return Tx.run(db, "listing API tokens", c -> {
            try (PreparedStatement ps = c.prepareStatement(LISTED + "WHERE jurisdiction_prefix LIKE ? ORDER BY id DESC")) {
                ps.setString(1, prefix + "%");
                return listed(ps);
            }
        });
    }

    @Override
    public Optional<Listed> find(long id) {
        return Tx.run(db, "reading an API token", c -> {
            try (PreparedStatement ps = c.prepareStatement(LISTED + "WHERE id = ?")) {
                ps.setLong(1, id);
                return listed(ps).stream().findFirst();
            }
        });
    }

    private static List<Listed> listed(PreparedStatement ps) throws SQLException {
        List<Listed> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Listed(rs.getLong("id"), rs.getString("name"), Role.valueOf(rs.getString("role")),
                        rs.getString("jurisdiction_prefix"), rs.getBoolean("admin"), Sql.instant(rs, "created_at"),
                        Sql.instant(rs, "revoked_at"), rs.getString("revoked_by")));
            }
        }
        return out;
    }

    @Override
    public boolean revoke(long id, String by, Instant now) {
        return Tx.run(db, "revoking an API token", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL")) {
                ps.setTimestamp(1, Sql.ts(now));
                ps.setString(2, by);
                ps.setLong(3, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public int activeAdmins() {
        return Tx.run(db, "counting admin tokens", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM api_tokens WHERE admin AND revoked_at IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        });
    }
}
