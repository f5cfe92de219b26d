package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseUpdates;

/** SQL behind {@link CaseUpdates}, for decisions made outside the dispatcher (self-reports, other systems). */
public final class JdbcCaseUpdates implements CaseUpdates {
    private final Database db;

    public JdbcCaseUpdates(Database db) {
        this.db = db;
    }

    @Override
    public Optional<RiskCase> apply(String caseId, Function<RiskCase, CaseProgress.Step> decide, Instant now) {
        return Tx.run(db, "updating a case", c -> {
            Optional<RiskCase> rc = lock(c, caseId);
            if (rc.isEmpty()) return Optional.empty();
            CaseProgress.Step step = decide.apply(rc.get());
            RiskCase after = rc.get();
            for (LedgerEvent e : step.events()) Sql.insertEvent(c, e);
            for (RiskCase.StatusChange change : step.changes()) {
                if (!Sql.applyStatusChange(c, change)) break;
                after = change.after();
            }
            if (step.cancelCalls()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET status = 'CANCELLED' "
                        + "WHERE case_id = ? AND kind = 'VOICE' AND status = 'PLANNED'")) {
                    ps.setString(1, caseId);
                    ps.executeUpdate();
                }
            }
            if (step.cancelDoorKnocks()) withdrawDoorKnocks(c, caseId, now);
            return Optional.of(after);
        });
    }

    private static void withdrawDoorKnocks(Connection c, String caseId, Instant now) throws SQLException {
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
                    Map.of("task", id, "reason", "settled outside the phone plan")));
        }
    }

    private static Optional<RiskCase> lock(Connection c, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Sql.CASE_COLUMNS + " FROM cases WHERE id = ? FOR UPDATE")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Sql.riskCase(rs)) : Optional.empty();
            }
        }
    }
}
