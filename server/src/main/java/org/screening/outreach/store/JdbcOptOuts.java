package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import org.screening.outreach.sms.OptOuts;

/** SQL behind {@link OptOuts}: one row per opted-out E.164 number. */
public final class JdbcOptOuts implements OptOuts {
    private final Database db;

    public JdbcOptOuts(Database db) {
        this.db = db;
    }

    @Override
    public void optOut(String e164, String source, Instant now) {
        Tx.run(db, "recording an SMS opt-out", c -> {
            // Parameters bound twice rather than VALUES(): same SQL on MariaDB and MySQL 8.0.20+ (VALUES() deprecated).
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_opt_outs (phone, opted_out_at, source) "
                    + "VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE opted_out_at = ?, source = ?")) {
                ps.setString(1, e164);
                ps.setTimestamp(2, Sql.ts(now));
                ps.setString(3, source);
                ps.setTimestamp(4, Sql.ts(now));
                ps.setString(5, source);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean optIn(String e164) {
        return Tx.run(db, "removing an SMS opt-out", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM sms_opt_outs WHERE phone = ?")) {
                ps.setString(1, e164);
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
