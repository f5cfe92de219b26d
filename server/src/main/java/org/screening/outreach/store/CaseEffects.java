package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.LedgerEvent;

/** What settling a case does to its pending work, on the caller's transaction. */
final class CaseEffects {
    private CaseEffects() {}

    /** Applies a decision about a locked case: its events, status changes, and what they stop; the case after it. */
    static org.screening.outreach.domain.RiskCase apply(Connection c, org.screening.outreach.domain.RiskCase rc,
                                                        CaseProgress.Step step, Instant now) throws SQLException {
        org.screening.outreach.domain.RiskCase after = rc;
        for (LedgerEvent e : step.events()) Sql.insertEvent(c, e);
        for (org.screening.outreach.domain.RiskCase.StatusChange change : step.changes()) {
            if (!Sql.applyStatusChange(c, change)) break;
            after = change.after();
        }
        if (step.cancelCalls()) cancelPlannedCalls(c, rc.id());
        if (step.cancelDoorKnocks()) withdrawDoorKnocks(c, rc.id(), now, "settled outside the phone plan");
        return after;
    }

    /** Calls not yet made are cancelled; a call in flight finishes and its outcome is still recorded. */
    static void cancelPlannedCalls(Connection c, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE attempts SET status = 'CANCELLED' WHERE case_id = ? AND kind = 'VOICE' AND status = 'PLANNED'")) {
            ps.setString(1, caseId);
            ps.executeUpdate();
        }
    }

    /** Open door-knock tasks are withdrawn, each with a ledger event saying why. */
    static void withdrawDoorKnocks(Connection c, String caseId, Instant now, String reason) throws SQLException {
        List<Long> open = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM door_knock_tasks WHERE case_id = ? AND status IN ('OPEN', 'ASSIGNED') FOR UPDATE")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) open.add(rs.getLong(1));
            }
        }
        for (long id : open) {
            try (PreparedStatement ps = c.prepareStatement("UPDATE door_knock_tasks SET status = 'CANCELLED' WHERE id = ?")) {
                ps.setLong(1, id);
                ps.executeUpdate();
            }
            Sql.insertEvent(c, new LedgerEvent(caseId, "DOOR_KNOCK_CANCELLED", now, CaseProgress.ACTOR,
                    Map.of("task", id, "reason", reason)));
        }
    }
}
