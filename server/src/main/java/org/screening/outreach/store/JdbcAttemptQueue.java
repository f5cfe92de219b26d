package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.dispatch.AttemptQueue;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CapacityForecast;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;

/** SQL behind {@link AttemptQueue}: short transactions, SKIP LOCKED claims, outcomes applied once. */
public final class JdbcAttemptQueue implements AttemptQueue {
    private static final String LOCK_ATTEMPT_CASE = "SELECT k." + Sql.CASE_COLUMNS.replace(", ", ", k.")
            + ", a.kind, a.seq, a.due_at AS attempt_due FROM attempts a JOIN cases k ON k.id = a.case_id WHERE a.id = ? FOR UPDATE";
    private final Database db;
    private final CaseProgress progress;
    private final String ownCases;

    public JdbcAttemptQueue(Database db, CaseProgress progress) {
        this(db, progress, "");
    }

    /**
     * {@code ownPrefix}: this deployment's jurisdiction; new cases outside it are not planned here (they are handed
     * to their home jurisdiction instead, see ledger/transfer).
     */
    public JdbcAttemptQueue(Database db, CaseProgress progress, String ownPrefix) {
        this.db = db;
        this.progress = progress;
        this.ownCases = ownPrefix.replace("%", "").replace("_", "") + "%";
    }

    @Override
    public int planNewCases(Instant now, int limit) {
        return Tx.run(db, "planning new cases", c -> {
            List<RiskCase> fresh = lockCases(c, "status = 'NEW' AND jurisdiction LIKE ? ORDER BY deadline_at LIMIT ?",
                    ps -> {
                        ps.setString(1, ownCases);
                        ps.setInt(2, limit);
                    });
            for (RiskCase rc : fresh) {
                CaseProgress.Start start = progress.start(rc, now);
                for (ContactPlanner.PlannedAttempt a : start.plan().attempts()) insertAttempt(c, rc, a);
                try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET escalate_at = ? WHERE id = ?")) {
                    ps.setTimestamp(1, Sql.ts(start.plan().escalateAt()));
                    ps.setString(2, rc.id());
                    ps.executeUpdate();
                }
                Sql.insertEvent(c, start.planned());
                Sql.applyStatusChange(c, start.change());
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
            List<OutboundAttempt> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.id, a.case_id, a.kind, a.seq, c.phone, c.name, "
                    + "c.category, c.jurisdiction, c.deadline_at, c.language FROM attempts a JOIN cases c ON c.id = a.case_id WHERE a.id IN ("
                    + JdbcCaseStore.marks(ids.size()) + ") ORDER BY a.deadline_at, a.due_at, a.id")) {
                for (int i = 0; i < ids.size(); i++) ps.setLong(i + 1, ids.get(i));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OutboundAttempt(rs.getLong(1), rs.getString(2), ChannelKind.valueOf(rs.getString(3)),
                                rs.getInt(4), rs.getString(5), rs.getString(6), Category.valueOf(rs.getString(7)),
                                rs.getString(8), Sql.instant(rs, "deadline_at"), CaseLanguage.ofTag(rs.getString(10))));
                    }
                }
            }
            // Planned outside quiet hours but reached only inside them (a backlog, a lease returned at night): a
            // category that keeps quiet hours waits for the morning instead of ringing at 23:00.
            List<OutboundAttempt> held = out.stream().filter(a -> progress.planner().earliest(a.category(), now).isAfter(now))
                    .toList();
            if (!held.isEmpty()) {
                out.removeAll(held);
                try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET due_at = ? WHERE id = ?")) {
                    for (OutboundAttempt a : held) {
                        ps.setTimestamp(1, Sql.ts(progress.planner().earliest(a.category(), now)));
                        ps.setLong(2, a.attemptId());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            if (out.isEmpty()) return List.of();
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET status = 'CLAIMED', lease_owner = ?, "
                    + "lease_until = ?, claims = claims + 1 WHERE id IN (" + JdbcCaseStore.marks(out.size()) + ")")) {
                ps.setString(1, owner);
                ps.setTimestamp(2, Sql.ts(leaseUntil));
                for (int i = 0; i < out.size(); i++) ps.setLong(i + 3, out.get(i).attemptId());
                ps.executeUpdate();
            }
            return out;
        });
    }

    @Override
    public boolean markSent(long attemptId, String providerRef, Instant now) {
        return Tx.run(db, "marking an attempt sent", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET status = 'SENT', provider_ref = ?, "
                    + "sent_at = ?, lease_owner = NULL, lease_until = NULL WHERE id = ? AND status = 'CLAIMED'")) {
                ps.setString(1, providerRef);
                ps.setTimestamp(2, Sql.ts(now));
                ps.setLong(3, attemptId);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean complete(long attemptId, AttemptOutcome outcome, Map<String, Object> details, Instant now) {
        // A deadlock victim is run again: dropping it would leave the attempt to its lease and send it twice.
        return Tx.retryingConflicts(db, "applying an attempt outcome", 3, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET status = 'DONE', outcome = ?, "
                    + "finished_at = ?, lease_owner = NULL WHERE id = ? AND status IN ('CLAIMED', 'SENT', 'PLANNED')")) {
                ps.setString(1, outcome.name());
                ps.setTimestamp(2, Sql.ts(now));
                ps.setLong(3, attemptId);
                if (ps.executeUpdate() != 1) {
                    // Already applied, or cancelled.
                    return outcome == AttemptOutcome.DELIVERED && lateDelivery(c, attemptId, details, now);
                }
            }
            // The attempt's case and place in the plan read with the case lock in one statement. The attempt row is
            // ours since the UPDATE, so this takes locks in the same order as before: attempt, then case.
            // Waits for the case lock (no SKIP LOCKED): an outcome must not be dropped because the case was busy.
            RiskCase rc;
            ChannelKind kind;
            int seq;
            Instant due;
            try (PreparedStatement ps = c.prepareStatement(LOCK_ATTEMPT_CASE)) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    rc = Sql.riskCase(rs, db.idNumbers());
                    kind = ChannelKind.valueOf(rs.getString("kind"));
                    seq = rs.getInt("seq");
                    due = Sql.instant(rs, "attempt_due");
                }
            }
            apply(c, rc, progress.afterAttempt(rc, kind, attemptId, seq, due, outcome, details, now), now);
            return true;
        });
    }

    /**
     * A delivery receipt for a text settled as FAILED: the outcome is corrected and the event written once (the
     * conditional UPDATE is the guard, so a repeated receipt finds nothing to correct).
     */
    private boolean lateDelivery(Connection c, long attemptId, Map<String, Object> details, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE attempts SET outcome = 'DELIVERED' WHERE id = ? "
                + "AND kind = 'SMS' AND status = 'DONE' AND outcome = 'FAILED'")) {
            ps.setLong(1, attemptId);
            if (ps.executeUpdate() != 1) return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT case_id, seq FROM attempts WHERE id = ?")) {
            ps.setLong(1, attemptId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Sql.insertEvent(c, CaseProgress.lateDelivery(rs.getString(1), attemptId, rs.getInt(2), details, now));
            }
        }
        return true;
    }

    /**
     * One UPDATE for the step's status changes (a run: each starts where the one before ends), so they apply together
     * or, should the case have moved meanwhile, not at all; one INSERT for all its events, the step's own first.
     */
    private void apply(Connection c, RiskCase rc, CaseProgress.Step step, Instant now) throws SQLException {
        List<RiskCase.StatusChange> changes = step.changes();
        List<LedgerEvent> events = step.events();
        if (!changes.isEmpty() && Sql.moveCase(c, changes.get(0), changes.get(changes.size() - 1))) {
            events = new ArrayList<>(events);
            for (RiskCase.StatusChange change : changes) events.add(change.event());
        }
        Sql.insertEvents(c, events);
        if (step.cancelCalls()) CaseEffects.cancelPlannedCalls(c, rc.id());
        if (step.cancelDoorKnocks()) CaseEffects.withdrawDoorKnocks(c, rc.id(), now, "reached by phone");
        if (step.nextCall().isPresent()) insertAttempt(c, rc, step.nextCall().get());
        if (step.doorKnock().isPresent()) createDoorKnock(c, rc, step.doorKnock().get(), now);
    }

    @Override
    public void note(long attemptId, String type, Map<String, Object> data, Instant now) {
        Tx.run(db, "noting an attempt event", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT case_id FROM attempts WHERE id = ?")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) Sql.insertEvent(c, new LedgerEvent(rs.getString(1), type, now, CaseProgress.ACTOR, data));
                }
            }
            return null;
        });
    }

    @Override
    public List<Long> callsSentBefore(Instant before, int limit) {
        return Tx.run(db, "reading unreported calls", c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM attempts WHERE status = 'SENT' "
                    + "AND kind = 'VOICE' AND sent_at < ? ORDER BY sent_at LIMIT ?")) {
                ps.setTimestamp(1, Sql.ts(before));
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    /**
     * Claims given back go to the queue again, unless their case left screening meanwhile (see {@link Sql#moveCase}):
     * those are cancelled, not sent to a person already settled.
     */
    private static final String RETURN_CLAIMS = "UPDATE attempts a JOIN cases k ON k.id = a.case_id "
            + "SET a.status = IF(k.status IN " + Sql.IN_SCREENING + ", 'PLANNED', 'CANCELLED'), a.lease_owner = NULL, "
            + "a.lease_until = NULL WHERE a.status = 'CLAIMED' AND ";

    @Override
    public int reapExpiredLeases(Instant now) {
        return Tx.run(db, "returning expired leases", c -> {
            try (PreparedStatement ps = c.prepareStatement(RETURN_CLAIMS + "a.lease_until < ?")) {
                ps.setTimestamp(1, Sql.ts(now));
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int returnClaims(ChannelKind kind, String owner) {
        return Tx.run(db, "returning a stopping node's claims", c -> {
            try (PreparedStatement ps = c.prepareStatement(RETURN_CLAIMS + "a.kind = ? AND a.lease_owner = ?")) {
                ps.setString(1, kind.name());
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public int escalateDue(Instant now, int limit) {
        return Tx.run(db, "escalating to door knocks", c -> {
            List<RiskCase> due = lockCases(c, "status IN ('NEW', 'CONTACTING') AND escalate_at <= ? "
                    + "ORDER BY escalate_at LIMIT ?", ps -> {
                ps.setTimestamp(1, Sql.ts(now));
                ps.setInt(2, limit);
            });
            for (RiskCase rc : due) escalate(c, rc, DoorKnockTask.NOT_REACHED, now);
            return due.size();
        });
    }

    @Override
    public List<CapacityForecast.Waiting> waitingCalls(int limit) {
        return Tx.run(db, "reading waiting calls", c -> {
            List<CapacityForecast.Waiting> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT a.case_id, a.due_at, c.escalate_at FROM attempts a "
                    + "JOIN cases c ON c.id = a.case_id WHERE a.status = 'PLANNED' AND a.kind = 'VOICE' "
                    + "AND c.status IN ('NEW', 'CONTACTING') ORDER BY a.deadline_at, a.due_at, a.id LIMIT ?")) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new CapacityForecast.Waiting(rs.getString(1), Sql.instant(rs, "due_at"),
                                Sql.instant(rs, "escalate_at")));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public int countShortfall(String source, Instant since) {
        return Tx.run(db, "counting capacity shortfall", c -> {
            // The push's cases: those it created (their own source) and those it was merged into (an alias).
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(DISTINCT t.case_id) FROM door_knock_tasks t "
                    + "JOIN cases k ON k.id = t.case_id WHERE t.reason = ? AND ((k.source = ? AND k.received_at >= ?) "
                    + "OR EXISTS (SELECT 1 FROM case_sources s WHERE s.case_id = t.case_id AND s.source = ? "
                    + "AND s.received_at >= ?))")) {
                ps.setString(1, DoorKnockTask.CAPACITY_SHORTFALL);
                ps.setString(2, source);
                // Times are stored in whole milliseconds: a case received in the millisecond the push started
                // must not fall below a bound that carries that millisecond's fraction.
                java.sql.Timestamp from = Sql.ts(since.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
                ps.setTimestamp(3, from);
                ps.setString(4, source);
                ps.setTimestamp(5, from);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public int escalateNow(List<String> caseIds, String reason, Instant now) {
        if (caseIds.isEmpty()) return 0;
        return Tx.run(db, "escalating to door knocks", c -> {
            List<RiskCase> locked = lockCases(c, "id IN (" + JdbcCaseStore.marks(caseIds.size()) + ")", ps -> {
                for (int i = 0; i < caseIds.size(); i++) ps.setString(i + 1, caseIds.get(i));
            });
            int n = 0;
            for (RiskCase rc : locked) {
                if (!CaseProgress.awaitingContact(rc.status())) continue;
                escalate(c, rc, reason, now);
                n++;
            }
            return n;
        });
    }

    private void escalate(Connection c, RiskCase rc, String reason, Instant now) throws SQLException {
        apply(c, rc, progress.escalate(rc, reason, now), now);
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
        Sql.insertEvent(c, new LedgerEvent(rc.id(), "DOOR_KNOCK_CREATED", now, CaseProgress.ACTOR,
                Map.of("task", id, "reason", reason, "dueAt", rc.deadlineAt().toString())));
    }

    private static void insertAttempt(Connection c, RiskCase rc, ContactPlanner.PlannedAttempt a) throws SQLException {
        insertAttempt(c, rc.id(), rc.deadlineAt(), a);
    }

    static void insertAttempt(Connection c, String caseId, Instant deadlineAt, ContactPlanner.PlannedAttempt a)
            throws SQLException {
        // INSERT IGNORE with the (case, kind, seq) key: planning the same attempt twice stores it once.
        try (PreparedStatement ps = c.prepareStatement("INSERT IGNORE INTO attempts (case_id, kind, seq, due_at, "
                + "deadline_at, status) VALUES (?, ?, ?, ?, ?, 'PLANNED')")) {
            ps.setString(1, caseId);
            ps.setString(2, a.kind().name());
            ps.setInt(3, a.seq());
            ps.setTimestamp(4, Sql.ts(a.dueAt()));
            ps.setTimestamp(5, Sql.ts(deadlineAt));
            ps.executeUpdate();
        }
    }

    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Cases to work on, skipping those another node holds right now. */
    private List<RiskCase> lockCases(Connection c, String where, Binder binder) throws SQLException {
        List<RiskCase> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Sql.CASE_COLUMNS + " FROM cases WHERE " + where
                + " FOR UPDATE SKIP LOCKED")) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(Sql.riskCase(rs, db.idNumbers()));
            }
        }
        return out;
    }
}
