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
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.web.report.SelfReports;

/** SQL behind {@link SelfReports}: one transaction per report, with the case locked. */
public final class JdbcSelfReports implements SelfReports {
    private final Database db;
    private final CaseProgress progress;

    public JdbcSelfReports(Database db, CaseProgress progress) {
        this.db = db;
        this.progress = progress;
    }

    @Override
    public Optional<RiskCase> find(String caseId) {
        return Tx.run(db, "reading a case", c -> lock(c, caseId, false));
    }

    @Override
    public boolean record(String caseId, Map<String, String> answers, Instant now) {
        return Tx.run(db, "recording a self-report", c -> {
            Optional<RiskCase> rc = lock(c, caseId, true);
            if (rc.isEmpty()) return false;
            CaseProgress.Step step = progress.afterSelfReport(rc.get(), answers, now);
            for (LedgerEvent e : step.events()) Sql.insertEvent(c, e);
            for (RiskCase.StatusChange change : step.changes()) {
                if (!Sql.applyStatusChange(c, change)) break;
            }
            if (step.cancelCalls()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET status = 'CANCELLED' "
                        + "WHERE case_id = ? AND kind = 'VOICE' AND status = 'PLANNED'")) {
                    ps.setString(1, caseId);
                    ps.executeUpdate();
                }
            }
            if (step.cancelDoorKnocks()) withdrawDoorKnocks(c, caseId, now);
            return true;
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
            Sql.insertEvent(c, new LedgerEvent(caseId, "DOOR_KNOCK_CANCELLED", now, "self-report",
                    Map.of("task", id, "reason", "reported through the link")));
        }
    }

    private static Optional<RiskCase> lock(Connection c, String caseId, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Sql.CASE_COLUMNS + " FROM cases WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Sql.riskCase(rs)) : Optional.empty();
            }
        }
    }
}
