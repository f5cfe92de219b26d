package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.screening.outreach.communities.CommunityStore;

/** SQL behind {@link CommunityStore}: one row per named division code. */
public final class JdbcCommunityStore implements CommunityStore {
    private final Database db;

    public JdbcCommunityStore(Database db) {
        this.db = db;
    }

    @Override
    public Map<String, String> all() {
        return Tx.run(db, "reading community names", c -> {
            Map<String, String> names = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT code, name FROM community_names");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) names.put(rs.getString(1), rs.getString(2));
            }
            return names;
        });
    }

    @Override
    public void save(Map<String, String> names, String actor, Instant now) {
        Tx.run(db, "saving community names", c -> {
            // Delete then insert: the same SQL on MariaDB and MySQL 8 (no upsert with the deprecated VALUES()).
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM community_names WHERE code = ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO community_names (code, name, updated_at, updated_by) VALUES (?, ?, ?, ?)")) {
                for (Map.Entry<String, String> e : names.entrySet()) {
                    delete.setString(1, e.getKey());
                    delete.addBatch();
                    if (e.getValue() == null) continue;
                    insert.setString(1, e.getKey());
                    insert.setString(2, e.getValue());
                    insert.setTimestamp(3, Sql.ts(now));
                    insert.setString(4, actor);
                    insert.addBatch();
                }
                delete.executeBatch();
                insert.executeBatch();
            }
            return null;
        });
    }
}
