package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The fingerprint of a key every node must share, in a one-row table of its own: the first node to start records
 * its key's, the others compare theirs with it. Safe on several nodes starting at once: only a missing row is
 * inserted.
 */
final class KeyFingerprints {
    private KeyFingerprints() {}

    /** Records {@code keyId} in {@code table} unless it holds one already; the one it holds. */
    static String recordFirst(Connection c, String table, String keyId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO " + table + " (id, key_id) VALUES (1, ?)")) {
            ps.setString(1, keyId);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT key_id FROM " + table + " WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
