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
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.dispatch.AttemptQueue;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;

/** SQL behind {@link AttemptQueue}: short transactions, SKIP LOCKED claims, outcomes applied once. */
public final class JdbcAttemptQueue implements AttemptQueue {
    static final String ACTOR = "dispatcher";
    private final Database db;

    public JdbcAttemptQueue(Database db) {
        this.db = db;
    }

    @Override
    public int planNewCases(ContactPlanner planner, Instant now, int limit) {
        return Tx.run(db, "planning new cases", c -> {
            List<RiskCase> fresh = lockCases(c, "status = 'NEW' ORDER BY deadline_at LIMIT ?", true,
                    ps -> ps.setInt(1, limit));
            for (RiskCase rc : fresh) {
                ContactPlanner.Plan plan = planner.initial(rc);
                for (ContactPlanner.PlannedAttempt a : plan.attempts()) insertAttempt(c, rc, a);
                try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET escalate_at = ? WHERE id = ?")) {
                    ps.setTimestamp(1, Sql.ts(plan.escalateAt()));
                    ps.setString(2, rc.id());
                    ps.executeUpdate();
                }
                Map<String, Object> d = new HashMap<>();
                d.put("sms", plan.attempts().stream().filter(a -> a.kind() == ChannelKind.SMS).count());
                plan.attempts().stream().filter(a -> a.kind() == ChannelKind.VOICE).findFirst()
                        .ifPresent(a -> d.put("firstCallAt", a.dueAt().toString()));
                d.put("escalateAt", plan.escalateAt().toString());
                Sql.insertEvent(c, new LedgerEvent(rc.id(), "PLANNED", now, ACTOR, d));
                Sql.applyStatusChange(c, rc.moveTo(CaseStatus.CONTACTING, now, ACTOR, "contact planned"));
            }
            return fresh.size();
        });
    }

    @Override
    public List<OutboundAttempt> claim(ChannelKind kind, Instant now, int limit, String owner, Instant leaseUntil) {
        if (limit <= 0) return List.of();
        return Tx.run(db, "claiming attempts", c -> {
            List<Long> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM attempts WHERE status = 'PLANNED' "
                    + "AND kind = ? AND due_at <= ? ORDER BY deadline_at, due_at, id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setString(1, kind.name());
                ps.setTimestamp(2, Sql.ts(now));
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getLong(1));
                }
            }
            if (ids.isEmpty()) return List.of();
            String in = JdbcCaseStore.marks(ids.size());
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET status = 'CLAIMED', lease_owner = ?, "
                    + "lease_until = ?, claims = claims + 1 WHERE id IN (" + in + ")")) {
                ps.setString(1, owner);
                ps.setTimestamp(2, Sql.ts(leaseUntil));
                for (int i = 0; i < ids.size(); i++) ps.setLong(i + 3, ids.get(i));
                ps.executeUpdate();
            }
            List<OutboundAttempt> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.case_id, a.kind, a.seq, c.phone, c.name, "
                    + "c.category, c.jurisdiction FROM attempts a JOIN cases c ON c.id = a.case_id WHERE a.id IN ("
                    + in + ") ORDER BY a.deadline_at, a.due_at, a.id")) {
                for (int i = 0; i < ids.size(); i++) ps.setLong(i + 1, ids.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboundAttempt(rs.getLong(1), rs.getString(2), ChannelKind.valueOf(rs.getString(3)),
                                rs.getInt(4), rs.getString(5), rs.getString(6), Category.valueOf(rs.getString(7)),
                                rs.getString(8)));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public boolean complete(long attemptId, AttemptOutcome outcome, Map<String, Object> details,
                            ContactPlanner planner, Instant now) {
        return Tx.run(db, "applying an attempt outcome", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET status = 'DONE', outcome = ?, "
                    + "finished_at = ?, lease_owner = NULL WHERE id = ? AND status IN ('CLAIMED', 'PLANNED')")) {
                ps.setString(1, outcome.name());
                ps.setTimestamp(2, Sql.ts(now));
                ps.setLong(3, attemptId);
                if (ps.executeUpdate() != 1) return false; // already applied, or cancelled
            }
            String caseId;
            ChannelKind kind;
            int seq;
            try (PreparedStatement ps = c.prepareStatement("SELECT case_id, kind, seq FROM attempts WHERE id = ?")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    caseId = rs.getString(1);
                    kind = ChannelKind.valueOf(rs.getString(2));
                    seq = rs.getInt(3);
                }
            }
            // Waits for the case lock (no SKIP LOCKED): an outcome must not be dropped because the case was busy.
            RiskCase rc = lockCases(c, "id = ?", false, ps -> ps.setString(1, caseId)).get(0);
            Map<String, Object> d = new HashMap<>(details);
            d.put("attempt", attemptId);
            d.put("seq", seq);
            Sql.insertEvent(c, new LedgerEvent(caseId, (kind == ChannelKind.SMS ? "SMS_" : "CALL_") + outcome.name(),
                    now, ACTOR, d));
            if (kind != ChannelKind.VOICE) return true;
            boolean waiting = rc.status() == CaseStatus.CONTACTING || rc.status() == CaseStatus.DOOR_KNOCK;
            if (outcome.reachedPerson() && waiting) {
                Sql.applyStatusChange(c, rc.moveTo(CaseStatus.REACHED, now, ACTOR, "answered call " + seq));
                cancelPlannedCalls(c, caseId);
                cancelDoorKnocks(c, caseId, now);
            } else if (rc.status() == CaseStatus.CONTACTING) {
                Optional<ContactPlanner.PlannedAttempt> next = planner.nextCall(rc, seq, outcome, now);
                if (next.isPresent()) insertAttempt(c, rc, next.get());
            }
            return true;
        });
    }

    @Override
    public int reapExpiredLeases(Instant now) {
        return Tx.run(db, "returning expired leases", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET status = 'PLANNED', lease_owner = NULL, "
                    + "lease_until = NULL WHERE status = 'CLAIMED' AND lease_until < ?")) {
                ps.setTimestamp(1, Sql.ts(now));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int escalateDue(Instant now, int limit) {
        return Tx.run(db, "escalating to door knocks", c -> {
            List<RiskCase> due = lockCases(c, "status IN ('NEW', 'CONTACTING') AND escalate_at <= ? "
                    + "ORDER BY escalate_at LIMIT ?", true, ps -> {
                ps.setTimestamp(1, Sql.ts(now));
                ps.setInt(2, limit);
            });
            for (RiskCase rc : due) {
                Sql.applyStatusChange(c, rc.moveTo(CaseStatus.DOOR_KNOCK, now, ACTOR, "not reached by phone in time"));
                createDoorKnock(c, rc, DoorKnockTask.NOT_REACHED, now);
                cancelPlannedCalls(c, rc.id());
            }
            return due.size();
        });
    }

    private static void createDoorKnock(Connection c, RiskCase rc, String reason, Instant now) throws SQLException {
        long id;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO door_knock_tasks (case_id, jurisdiction, created_at, "
                + "due_at, status, reason) VALUES (?, ?, ?, ?, 'OPEN', ?)", PreparedStatement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, rc.id());
            ps.setString(2, rc.jurisdiction());
            ps.setTimestamp(3, Sql.ts(now));
            ps.setTimestamp(4, Sql.ts(rc.deadlineAt()));
            ps.setString(5, reason);
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                id = rs.getLong(1);
            }
        }
        Sql.insertEvent(c, new LedgerEvent(rc.id(), "DOOR_KNOCK_CREATED", now, ACTOR,
                Map.of("task", id, "reason", reason, "dueAt", rc.deadlineAt().toString())));
    }

    private static void cancelPlannedCalls(Connection c, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE attempts SET status = 'CANCELLED' WHERE case_id = ? AND kind = 'VOICE' AND status = 'PLANNED'")) {
            ps.setString(1, caseId);
            ps.executeUpdate();
        }
    }

    private static void cancelDoorKnocks(Connection c, String caseId, Instant now) throws SQLException {
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
            Sql.insertEvent(c, new LedgerEvent(caseId, "DOOR_KNOCK_CANCELLED", now, ACTOR,
                    Map.of("task", id, "reason", "reached by phone")));
        }
    }

    private static void insertAttempt(Connection c, RiskCase rc, ContactPlanner.PlannedAttempt a) throws SQLException {
        // INSERT IGNORE with the (case, kind, seq) key: planning the same attempt twice stores it once.
        try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO attempts (case_id, kind, seq, due_at, "
                + "deadline_at, status) VALUES (?, ?, ?, ?, ?, 'PLANNED')")) {
            ps.setString(1, rc.id());
            ps.setString(2, a.kind().name());
            ps.setInt(3, a.seq());
            ps.setTimestamp(4, Sql.ts(a.dueAt()));
            ps.setTimestamp(5, Sql.ts(rc.deadlineAt()));
            ps.executeUpdate();
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static List<RiskCase> lockCases(Connection c, String where, boolean skipLocked, Binder binder)
            throws SQLException {
        List<RiskCase> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Sql.CASE_COLUMNS + " FROM cases WHERE " + where
                + (skipLocked ? " FOR UPDATE SKIP LOCKED" : " FOR UPDATE"))) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(Sql.riskCase(rs));
            }
        }
        return out;
    }
}
