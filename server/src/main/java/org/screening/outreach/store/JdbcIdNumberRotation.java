package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.screening.outreach.privacy.IdKeyRotation;
import org.screening.outreach.privacy.IdNumberCipher;
import org.screening.outreach.privacy.IdNumbers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-encrypts ID numbers stored under an old key (OUTREACH_ID_KEYS_OLD) with the current one, a batch per step,
 * walking each table in primary-key order. The blind index does not change (its key is another). A row is only
 * rewritten if it still holds what was read, so a concurrent writer or a second node does no harm. After a pass
 * that found nothing it rests, then checks again (a node still on the previous key may have written meanwhile).
 */
public final class JdbcIdNumberRotation implements IdKeyRotation {
    private static final Logger log = LoggerFactory.getLogger(JdbcIdNumberRotation.class);
    static final Duration REST = Duration.ofHours(1);
    private final Database db;
    private final Clock clock;
    private int table;
    private String after = "";
    private long reencryptedInPass;
    private long unreadableInPass;
    private Instant restUntil = Instant.MIN;

    public JdbcIdNumberRotation(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** How many rows this step re-encrypted; -1 when there is nothing to do now (no old key, or resting). */
    @Override
    public synchronized int step() {
        IdNumbers ids = db.idNumbers();
        if (!ids.cipher().hasOldKeys() || clock.instant().isBefore(restUntil)) return -1;
        IdNumberUpgrade.Table t = IdNumberUpgrade.TABLES.get(table);
        try (Connection c = db.connection()) {
            List<String[]> rows = underOldKeys(c, ids.cipher(), t);
            List<String[]> updates = new ArrayList<>();
            for (String[] r : rows) {
                try {
                    updates.add(new String[] {ids.seal(ids.open(r[1])), r[0], r[1]});
                } catch (IdNumberCipher.Unreadable e) {
                    unreadableInPass++;
                }
            }
            if (!updates.isEmpty()) {
                try (PreparedStatement up = c.prepareStatement("UPDATE " + t.name()
                        + " SET id_number_enc = ? WHERE id = ? AND id_number_enc = ?")) {
                    for (String[] u : updates) {
                        for (int i = 0; i < 3; i++) up.setString(i + 1, u[i]);
                        up.addBatch();
                    }
                    up.executeBatch();
                }
            }
            reencryptedInPass += updates.size();
            if (rows.size() < IdNumberUpgrade.BATCH) nextTable(ids);
            else after = rows.get(rows.size() - 1)[0];
            return updates.size();
        } catch (SQLException e) {
            throw new StoreException("re-encrypting ID numbers failed", e);
        }
    }

    private List<String[]> underOldKeys(Connection c, IdNumberCipher cipher, IdNumberUpgrade.Table t) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        // The key id is hex, so the pattern holds no wildcard but the final one.
        try (PreparedStatement ps = c.prepareStatement("SELECT id, id_number_enc FROM " + t.name() + " WHERE id > ? "
                + "AND id_number_enc IS NOT NULL AND id_number_enc NOT LIKE ? ORDER BY id LIMIT " + IdNumberUpgrade.BATCH)) {
            ps.setString(1, after);
            ps.setString(2, "1:" + cipher.currentKeyId() + ":%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        return rows;
    }

    private void nextTable(IdNumbers ids) {
        after = "";
        if (++table < IdNumberUpgrade.TABLES.size()) return;
        table = 0;
        if (reencryptedInPass > 0) {
            log.info("ID numbers: {} re-encrypted under key {}", reencryptedInPass, ids.cipher().currentKeyId());
        } else {
            restUntil = clock.instant().plus(REST);
            log.info("ID numbers: none left under an old key{}; OUTREACH_ID_KEYS_OLD may be removed once every node "
                    + "runs with key {}", unreadableInPass == 0 ? "" : " (" + unreadableInPass + " unreadable, left "
                    + "as they are)", ids.cipher().currentKeyId());
        }
        reencryptedInPass = 0;
        unreadableInPass = 0;
    }
}
