package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
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
                "SELECT id, name, role, jurisdiction_prefix, admin FROM api_tokens WHERE token_hash = ?")) {
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
}
