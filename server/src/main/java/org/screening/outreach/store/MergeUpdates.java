package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.RiskCase;

/**
 * What pushes merged into open cases change in them, written at the end of the batch: a stricter push tightens the
 * deadline (never loosens it), and a push that names the person's language sets it (a list without a language
 * column says nothing about it, so it changes nothing).
 */
final class MergeUpdates {
    private final Map<String, RiskCase> stricter = new LinkedHashMap<>();
    private final Map<String, CaseLanguage> languages = new LinkedHashMap<>();

    void tighten(String caseId, RiskCase push) {
        stricter.put(caseId, push);
    }

    void language(String caseId, CaseLanguage language) {
        languages.put(caseId, language);
    }

    /** {@code planner} gives a tightened case its new escalation point. */
    void apply(Connection c, ContactPlanner planner, Instant now) throws SQLException {
        tightenDeadlines(c, planner, now);
        if (languages.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET language = ? WHERE id = ?")) {
            for (Map.Entry<String, CaseLanguage> l : languages.entrySet()) {
                ps.setString(1, l.getValue().tag());
                ps.setString(2, l.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * The case's deadline and escalation point, its attempts' deadline (their order in the queue) and due time, and
     * its open door-knock tasks' due time (staff sort their list by it) all move to the stricter push's.
     */
    private void tightenDeadlines(Connection c, ContactPlanner planner, Instant now) throws SQLException {
        if (stricter.isEmpty()) return;
        try (PreparedStatement cs = c.prepareStatement("UPDATE cases SET deadline_at = ?, category = ?, "
                + "escalate_at = LEAST(escalate_at, ?) WHERE id = ? AND deadline_at > ?");
             PreparedStatement as = c.prepareStatement("UPDATE attempts SET deadline_at = ?, due_at = LEAST(due_at, ?) "
                     + "WHERE case_id = ? AND status IN ('PLANNED', 'CLAIMED')");
             PreparedStatement ks = c.prepareStatement("UPDATE door_knock_tasks SET due_at = LEAST(due_at, ?) "
                     + "WHERE case_id = ? AND status IN ('OPEN', 'ASSIGNED')")) {
            for (Map.Entry<String, RiskCase> m : stricter.entrySet()) {
                RiskCase push = m.getValue();
                cs.setTimestamp(1, Sql.ts(push.deadlineAt()));
                cs.setString(2, push.category().name());
                cs.setTimestamp(3, Sql.ts(planner.escalateAt(push)));
                cs.setString(4, m.getKey());
                cs.setTimestamp(5, Sql.ts(push.deadlineAt()));
                cs.addBatch();
                as.setTimestamp(1, Sql.ts(push.deadlineAt()));
                as.setTimestamp(2, Sql.ts(planner.earliest(push, now)));
                as.setString(3, m.getKey());
                as.addBatch();
                ks.setTimestamp(1, Sql.ts(push.deadlineAt()));
                ks.setString(2, m.getKey());
                ks.addBatch();
            }
            cs.executeBatch();
            as.executeBatch();
            ks.executeBatch();
        }
        for (Map.Entry<String, RiskCase> m : stricter.entrySet()) callIfNoneWaits(c, planner, m.getKey(), m.getValue(), now);
    }

    /**
     * A case being contacted with no call waiting or under way got none at planning (quiet hours held its first call
     * past its escalation point): bringing planned attempts forward would leave a RED push with a text and a door
     * knock but never a call, so it gets one now (or after quiet hours, if the stricter category keeps them).
     */
    private static void callIfNoneWaits(Connection c, ContactPlanner planner, String caseId, RiskCase push, Instant now)
            throws SQLException {
        Instant escalateAt;
        int calls;
        try (PreparedStatement ps = c.prepareStatement("SELECT k.escalate_at, COUNT(a.id) AS calls, "
                + "COALESCE(SUM(a.status IN ('PLANNED', 'CLAIMED', 'SENT')), 0) AS waiting FROM cases k "
                + "LEFT JOIN attempts a ON a.case_id = k.id AND a.kind = 'VOICE' "
                + "WHERE k.id = ? AND k.status = 'CONTACTING' GROUP BY k.id, k.escalate_at")) {
            ps.setString(1, caseId);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt("waiting") > 0) return;
                escalateAt = Sql.instant(rs, "escalate_at");
                calls = rs.getInt("calls");
            }
        }
        if (escalateAt == null) return;
        java.util.Optional<ContactPlanner.PlannedAttempt> call = planner.callOnStricterPush(push, escalateAt, calls, now);
        if (call.isPresent()) JdbcAttemptQueue.insertAttempt(c, caseId, push.deadlineAt(), call.get());
    }
}
