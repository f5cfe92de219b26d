package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.DoorKnockOutcome;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.DoorKnocks;
import org.screening.outreach.web.console.DoorKnockSubmissions;

/** SQL behind {@link DoorKnocks} and the console's one-time form keys ({@link DoorKnockSubmissions}). */
public final class JdbcDoorKnocks implements DoorKnocks, DoorKnockSubmissions {
    private static final String COLUMNS = "id, case_id, jurisdiction, created_at, due_at, status, reason, assignee";
    private final Database db;

    public JdbcDoorKnocks(Database db) {
        this.db = db;
    }

    @Override
    public List<DoorKnockTask> list(String prefix, DoorKnockTask.Status status, int limit) {
        return Tx.run(db, "listing door knocks", c -> {
            String where = status == null ? "status IN ('OPEN', 'ASSIGNED')" : "status = ?";
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM door_knock_tasks WHERE "
                    + "jurisdiction LIKE ? AND " + where + " ORDER BY due_at, id LIMIT ?")) {
                int i = 1;
                ps.setString(i++, prefix + "%");
                if (status != null) ps.setString(i++, status.name());
                ps.setInt(i, limit);
                List<DoorKnockTask> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(task(rs));
                }
                return out;
            }
        });
    }

    @Override
    public Optional<DoorKnockTask> activeFor(String caseId) {
        return Tx.run(db, "reading a case's door knock", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM door_knock_tasks WHERE "
                    + "case_id = ? AND status IN ('OPEN', 'ASSIGNED') ORDER BY due_at, id LIMIT 1")) {
                ps.setString(1, caseId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(task(rs)) : Optional.<DoorKnockTask>empty();
                }
            }
        });
    }

    @Override
    public Optional<DoorKnockTask> find(long id) {
        return Tx.run(db, "reading a door knock", c -> lock(c, id, false));
    }

    @Override
    public Result assign(long id, String assignee, String actor, Instant now) {
        return Tx.run(db, "assigning a door knock", c -> {
            Optional<DoorKnockTask> t = lock(c, id, true);
            if (t.isEmpty()) return Result.NOT_FOUND;
            if (!t.get().status().isActive()) return Result.NOT_ACTIVE;
            // Already theirs (a double tap, a request sent again): done, without a second assignment in the ledger.
            if (t.get().status() == DoorKnockTask.Status.ASSIGNED && assignee.equals(t.get().assignee())) {
                return Result.DONE;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE door_knock_tasks SET status = 'ASSIGNED', assignee = ? WHERE id = ?")) {
                ps.setString(1, assignee);
                ps.setLong(2, id);
                ps.executeUpdate();
            }
            Sql.insertEvent(c, new LedgerEvent(t.get().caseId(), "DOOR_KNOCK_ASSIGNED", now, actor,
                    Map.of("task", id, "assignee", assignee)));
            return Result.DONE;
        });
    }

    @Override
    public Result record(long id, DoorKnockOutcome outcome, DoorKnockTask.Team team, String note, String actor,
                         Instant now) {
        return record(id, outcome, team, note, actor, now, null);
    }

    @Override
    public Result record(long id, DoorKnockOutcome outcome, DoorKnockTask.Team team, String note, String actor,
                         Instant now, String submission) {
        return Tx.run(db, "recording a door knock", c -> {
            Optional<DoorKnockTask> t = lock(c, id, true);
            if (t.isEmpty()) return Result.NOT_FOUND;
            // Under the task's lock: the second of two posts of one form sees the first one's key.
            if (submission != null && used(c, submission)) return Result.DONE;
            if (!t.get().status().isActive()) return Result.NOT_ACTIVE;
            if (submission != null) {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO door_knock_submissions (submission, task_id, recorded_at) VALUES (?, ?, ?)")) {
                    ps.setString(1, submission);
                    ps.setLong(2, id);
                    ps.setTimestamp(3, Sql.ts(now));
                    ps.executeUpdate();
                }
            }
            String caseId = t.get().caseId();
            if (outcome.finishesTask()) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE door_knock_tasks SET status = 'DONE' WHERE id = ?")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
            }
            Map<String, Object> d = new HashMap<>();
            d.put("task", id);
            d.put("outcome", outcome.name());
            d.put("cadre", team.cadre());
            d.put("healthWorker", team.healthWorker());
            d.put("police", team.police());
            if (note != null && !note.isBlank()) d.put("note", note);
            Sql.insertEvent(c, new LedgerEvent(caseId, "DOOR_KNOCK_RESULT", now, actor, d));
            Optional<CaseStatus> next = outcome.caseBecomes();
            if (next.isPresent()) {
                RiskCase rc = Sql.lockCase(c, db.idNumbers(), caseId).orElseThrow();
                if (rc.status().canMoveTo(next.get())) {
                    Sql.applyStatusChange(c, rc.moveTo(next.get(), now, actor, "door knock: " + outcome.name()));
                }
            }
            return Result.DONE;
        });
    }

    @Override
    public int forgetUsedBefore(Instant before, int limit) {
        return Tx.run(db, "pruning door-knock form keys", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM door_knock_submissions WHERE recorded_at < ? ORDER BY recorded_at LIMIT ?")) {
                ps.setTimestamp(1, Sql.ts(before));
                ps.setInt(2, limit);
                return ps.executeUpdate();
            }
        });
    }

    private static boolean used(Connection c, String submission) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM door_knock_submissions WHERE submission = ?")) {
            ps.setString(1, submission);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static Optional<DoorKnockTask> lock(Connection c, long id, boolean forUpdate) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM door_knock_tasks WHERE id = ?"
                + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(task(rs)) : Optional.empty();
            }
        }
    }

    private static DoorKnockTask task(ResultSet rs) throws SQLException {
        return new DoorKnockTask(rs.getLong("id"), rs.getString("case_id"), rs.getString("jurisdiction"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "due_at"),
                DoorKnockTask.Status.valueOf(rs.getString("status")), rs.getString("reason"), rs.getString("assignee"));
    }
}
