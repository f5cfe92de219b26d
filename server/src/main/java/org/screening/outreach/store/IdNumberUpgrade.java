package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.screening.outreach.privacy.IdNumberCipher;
import org.screening.outreach.privacy.IdNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up step of ID numbers at rest, before the node serves anything: refuses keys that do not match the data,
 * and encrypts the ID numbers a version before V22 stored in plaintext (in batches; the plaintext column is emptied
 * row by row). Every step is safe to repeat and to run on several starting nodes at once: a row is only changed if
 * it still holds what was read.
 */
public final class IdNumberUpgrade {
    private static final Logger log = LoggerFactory.getLogger(IdNumberUpgrade.class);
    static final int BATCH = 500;
    /** Tables with ID numbers; those with a blind index column keep it filled. */
    static final List<Table> TABLES = List.of(new Table("cases", false), new Table("known_persons", true));

    record Table(String name, boolean indexed) {}

    private IdNumberUpgrade() {}

    /** Checks the keys and encrypts what is left in plaintext; how many rows it encrypted. */
    public static int run(Database db) {
        IdNumbers ids = db.idNumbers();
        try (Connection c = db.connection()) {
            checkIndexKey(c, ids);
            int encrypted = 0;
            for (Table t : TABLES) encrypted += encryptPlaintext(c, ids, t);
            if (encrypted > 0) log.info("ID numbers: {} stored in plaintext by an earlier version now encrypted", encrypted);
            for (Table t : TABLES) checkNewestReadable(c, ids, t);
            return encrypted;
        } catch (SQLException e) {
            throw new StoreException("checking the ID number keys against the database failed", e);
        }
    }

    /**
     * The first node records the fingerprint of its index key; a node with another one would find nobody by ID
     * number and index new rows so that others cannot find them either, so it refuses to start.
     */
    private static void checkIndexKey(Connection c, IdNumbers ids) throws SQLException {
        String mine = ids.index().keyId();
        String recorded = KeyFingerprints.recordFirst(c, "id_number_index_key", mine);
        if (!recorded.equals(mine)) {
            throw new IllegalStateException("OUTREACH_ID_INDEX_KEY (fingerprint " + mine + ") is not the key this "
                    + "database's ID numbers are indexed with (fingerprint " + recorded + "): configure the same "
                    + "OUTREACH_ID_KEY and OUTREACH_ID_INDEX_KEY on every node (see README, ID numbers at rest)");
        }
    }

    private static int encryptPlaintext(Connection c, IdNumbers ids, Table t) throws SQLException {
        String update = "UPDATE " + t.name() + " SET id_number_enc = ?, " + (t.indexed() ? "id_number_idx = ?, " : "")
                + "id_number = NULL WHERE id = ? AND id_number = ?";
        int done = 0;
        String after = "";
        while (true) {
            List<String[]> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, id_number FROM " + t.name()
                    + " WHERE id > ? AND id_number IS NOT NULL ORDER BY id LIMIT " + BATCH)) {
                ps.setString(1, after);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            if (rows.isEmpty()) return done;
            try (PreparedStatement up = c.prepareStatement(update)) {
                for (String[] r : rows) {
                    int p = 1;
                    up.setString(p++, ids.seal(r[1]));
                    if (t.indexed()) up.setBytes(p++, ids.indexOf(r[1]));
                    up.setString(p++, r[0]);
                    up.setString(p, r[1]);
                    up.addBatch();
                }
                up.executeBatch();
            }
            done += rows.size();
            after = rows.get(rows.size() - 1)[0];
            if (done % 50_000 < BATCH) log.info("ID numbers: {} rows of {} encrypted so far", done, t.name());
        }
    }

    /**
     * The newest row's key must be among the configured ones: a node started with keys of its own (say, generated
     * into an empty data dir) next to a database of another deployment would otherwise show no ID numbers at all.
     */
    private static void checkNewestReadable(Connection c, IdNumbers ids, Table t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id_number_enc FROM " + t.name()
                + " WHERE id_number_enc IS NOT NULL ORDER BY id DESC LIMIT 1"); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) return;
            try {
                ids.open(rs.getString(1));
            } catch (IdNumberCipher.Unreadable e) {
                throw new IllegalStateException("the newest ID number in " + t.name() + " cannot be read with the "
                        + "configured keys (" + e.getMessage() + "): give OUTREACH_ID_KEY, or the key it was written "
                        + "under in OUTREACH_ID_KEYS_OLD (see README, ID numbers at rest)");
            }
        }
    }
}
