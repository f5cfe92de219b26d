package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.SmsResend;

/** SQL behind a staff re-send of the reminder SMS: decided and stored under the case lock, in one transaction. */
final class SmsResendSql {
    private SmsResendSql() {}

    /** The new attempt's id; empty when there is no such case; {@link SmsResend.Refused} when refused. */
    static Optional<Long> resend(Database db, String caseId, String actor, String by, Instant now) {
        return Tx.run(db, "re-sending a reminder SMS", c -> {
            Optional<RiskCase> rc = Sql.lockCase(c, db.idNumbers(), caseId);
            if (rc.isEmpty()) return Optional.empty();
            boolean pending = false;
            int lastSeq = 0;
            // Under the case lock: a second click waits here and then sees the first click's PLANNED attempt.
            try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0), "
                    + "COALESCE(SUM(status IN ('PLANNED', 'CLAIMED')), 0) FROM attempts WHERE case_id = ? AND kind = 'SMS'")) {
                ps.setString(1, caseId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    lastSeq = rs.getInt(1);
                    pending = rs.getInt(2) > 0;
                }
            }
            SmsResend.Plan plan = SmsResend.decide(rc.get(), optedOut(c, rc.get().phone()), pending, lastSeq, actor, by, now);
            long id;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO attempts (case_id, kind, seq, due_at, deadline_at, "
                    + "status) VALUES (?, ?, ?, ?, ?, 'PLANNED')", PreparedStatement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, caseId);
                ps.setString(2, plan.attempt().kind().name());
                ps.setInt(3, plan.attempt().seq());
                ps.setTimestamp(4, Sql.ts(plan.attempt().dueAt()));
                ps.setTimestamp(5, Sql.ts(rc.get().deadlineAt()));
                ps.executeUpdate();
                try (ResultSet rs = ps.getGeneratedKeys()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            java.util.Map<String, Object> data = new java.util.HashMap<>(plan.event().data());
            data.put("attempt", id);
            Sql.insertEvent(c, new org.screening.outreach.domain.LedgerEvent(caseId, plan.event().type(), now,
                    plan.event().actor(), data));
            return Optional.of(id);
        });
    }

    private static boolean optedOut(Connection c, String phone) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sms_opt_outs WHERE phone = ?")) {
            ps.setString(1, phone);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
