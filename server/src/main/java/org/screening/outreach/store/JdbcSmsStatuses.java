package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import org.screening.outreach.sms.SmsStatuses;

/**
 * SQL behind {@link SmsStatuses}. Compare-and-set instead of SELECT … FOR UPDATE: under READ COMMITTED a missing
 * row cannot be locked (no gap locks), and locking the attempt row would queue callbacks behind the dispatcher.
 */
public final class JdbcSmsStatuses implements SmsStatuses {
    private final Database db;

    public JdbcSmsStatuses(Database db) {
        this.db = db;
    }

    @Override
    public Current current(long attemptId) {
        return Tx.run(db, "reading an SMS status", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT s.status FROM attempts a "
                    + "LEFT JOIN sms_status s ON s.attempt_id = a.id WHERE a.id = ? AND a.kind = 'SMS'")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Current(true, rs.getString(1)) : Current.NO_ATTEMPT;
                }
            }
        });
    }

    @Override
    public boolean replace(long attemptId, String expected, String messageSid, String status, String errorCode,
                           Instant now) {
        return Tx.run(db, "storing an SMS status", c -> {
            if (expected == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO sms_status "
                        + "(attempt_id, message_sid, status, error_code, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setLong(1, attemptId);
                    ps.setString(2, messageSid);
                    ps.setString(3, status);
                    ps.setString(4, errorCode);
                    ps.setTimestamp(5, Sql.ts(now));
                    return ps.executeUpdate() == 1;
                } catch (SQLIntegrityConstraintViolationException e) {
                    return false; // another callback inserted first; the statement failed, the transaction did not
                }
            }
            // A callback without MessageSid / ErrorCode keeps what an earlier one stored.
            try (PreparedStatement ps = c.prepareStatement("UPDATE sms_status SET message_sid = COALESCE(?, message_sid), "
                    + "status = ?, error_code = COALESCE(?, error_code), updated_at = ? WHERE attempt_id = ? AND status = ?")) {
                ps.setString(1, messageSid);
                ps.setString(2, status);
                ps.setString(3, errorCode);
                ps.setTimestamp(4, Sql.ts(now));
                ps.setLong(5, attemptId);
                ps.setString(6, expected);
                return ps.executeUpdate() == 1;
            }
        });
    }
}
