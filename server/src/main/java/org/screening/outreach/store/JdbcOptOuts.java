package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.screening.outreach.sms.OptOuts;

/** SQL behind {@link OptOuts}: one row per opted-out E.164 number, and the last opt-in of each that sent one. */
public final class JdbcOptOuts implements OptOuts {
    private final Database db;

    public JdbcOptOuts(Database db) {
        this.db = db;
    }

    @Override
    public void optOut(String e164, String source, Instant at) {
        Tx.run(db, "recording an SMS opt-out", c -> {
            // Parameters bound twice rather than VALUES(): same SQL on MariaDB and MySQL 8.0.20+ (VALUES() deprecated).
            // source is set before opted_out_at: assignments run left to right and read the row as changed so far.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_opt_outs (phone, opted_out_at, source) "
                    + "SELECT ?, ?, ? FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM sms_opt_ins WHERE phone = ? AND opted_in_at > ?) "
                    + "ON DUPLICATE KEY UPDATE source = IF(? >= opted_out_at, ?, source), "
                    + "opted_out_at = GREATEST(opted_out_at, ?)")) {
                ps.setString(1, e164);
                ps.setTimestamp(2, Sql.ts(at));
                ps.setString(3, source);
                ps.setString(4, e164);
                ps.setTimestamp(5, Sql.ts(at));
                ps.setTimestamp(6, Sql.ts(at));
                ps.setString(7, source);
                ps.setTimestamp(8, Sql.ts(at));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean optIn(String e164, Instant at) {
        return Tx.run(db, "removing an SMS opt-out", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_opt_ins (phone, opted_in_at) VALUES (?, ?) "
                    + "ON DUPLICATE KEY UPDATE opted_in_at = GREATEST(opted_in_at, ?)")) {
                ps.setString(1, e164);
                ps.setTimestamp(2, Sql.ts(at));
                ps.setTimestamp(3, Sql.ts(at));
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_opt_outs WHERE phone = ? AND opted_out_at <= ?")) {
                ps.setString(1, e164);
                ps.setTimestamp(2, Sql.ts(at));
                return ps.executeUpdate() > 0;
            }
        });
    }

    @Override
    public boolean isOptedOut(String e164) {
        return Tx.run(db, "reading SMS opt-outs", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sms_opt_outs WHERE phone = ?")) {
                ps.setString(1, e164);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }
}
