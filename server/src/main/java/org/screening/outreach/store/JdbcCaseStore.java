package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.intake.CaseStore;
import org.screening.outreach.intake.CaseStore.Outcome;
import org.screening.outreach.intake.CaseStore.Stored;

/**
 * Stores intake batches: one short transaction per batch with multi-row inserts. A concurrent import of the same
 * rows makes one of the two hit a unique key; that batch is rolled back and retried, and then sees duplicates.
 */
public final class JdbcCaseStore implements CaseStore {
    private static final int ATTEMPTS = 4;
    private final Database db;
    private final ContactPlanner planner;

    /** {@code planner} gives a tightened case its new escalation point. */
    public JdbcCaseStore(Database db, ContactPlanner planner) {
        this.db = db;
        this.planner = planner;
    }

    private record Existing(String id, CaseStatus status, Category category, Instant deadlineAt) {}

    @Override
    public List<Stored> store(String source, List<RiskCase> candidates, Instant now, String actor) {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(false);
                try {
                    List<Stored> stored = storeOnce(c, source, candidates, now, actor);
                    c.commit();
                    return stored;
                } catch (SQLException e) {
                    c.rollback();
                    if (!retryable(e)) throw e;
                    last = e;
                }
            } catch (SQLException e) {
                throw new StoreException("storing an intake batch failed: " + e.getMessage(), e);
            }
        }
        throw new StoreException("storing an intake batch kept conflicting", last);
    }

    /** Duplicate key from a concurrent import, deadlock, lock wait timeout. */
    private static boolean retryable(SQLException e) {
        int code = e.getErrorCode();
        return code == 1062 || code == 1213 || code == 1205;
    }

    private List<Stored> storeOnce(Connection c, String source, List<RiskCase> candidates, Instant now, String actor)
            throws SQLException {
        Map<String, Existing> bySourceId = findBySource(c, source, candidates);
        Map<String, Existing> byOpenKey = findOpen(c, candidates);
        Stored[] result = new Stored[candidates.size()];
        Map<String, Stored> seenIds = new HashMap<>();
        List<RiskCase> created = new ArrayList<>();
        List<RiskCase> newSources = new ArrayList<>();
        List<String> newSourceCaseIds = new ArrayList<>();
        List<LedgerEvent> events = new ArrayList<>();
        Map<String, RiskCase> deadlineMoves = new LinkedHashMap<>();

        for (int i = 0; i < candidates.size(); i++) {
            RiskCase cand = candidates.get(i);
            Existing known = bySourceId.get(cand.externalId());
            if (known != null) {
                result[i] = new Stored(known.id(), known.status(), Outcome.DUPLICATE);
                continue;
            }
            Stored sameRow = seenIds.get(cand.externalId());
            if (sameRow != null) {
                result[i] = new Stored(sameRow.caseId(), sameRow.status(), Outcome.DUPLICATE);
                continue;
            }
            String key = Sql.openKey(cand);
            Existing open = byOpenKey.get(key);
            if (open != null) {
                result[i] = new Stored(open.id(), open.status(), Outcome.MERGED);
                events.add(mergedEvent(open, cand, now, actor));
                if (cand.deadlineAt().isBefore(open.deadlineAt())) {
                    // A stricter push of the same person tightens the deadline; it never loosens it.
                    deadlineMoves.put(open.id(), cand);
                    byOpenKey.put(key, new Existing(open.id(), open.status(), cand.category(), cand.deadlineAt()));
                }
            } else {
                result[i] = new Stored(cand.id(), cand.status(), Outcome.CREATED);
                created.add(cand);
                byOpenKey.put(key, new Existing(cand.id(), cand.status(), cand.category(), cand.deadlineAt()));
                events.add(receivedEvent(cand, now, actor));
            }
            seenIds.put(cand.externalId(), result[i]);
            newSources.add(cand);
            newSourceCaseIds.add(result[i].caseId());
        }
        insertCases(c, created);
        insertSources(c, newSources, newSourceCaseIds, now);
        moveDeadlines(c, deadlineMoves, now);
        insertEvents(c, events);
        return List.of(result);
    }

    private static LedgerEvent receivedEvent(RiskCase c, Instant now, String actor) {
        Map<String, Object> d = new HashMap<>();
        d.put("source", c.source());
        d.put("externalId", c.externalId());
        d.put("category", c.category().name());
        d.put("jurisdiction", c.jurisdiction());
        d.put("deadlineAt", c.deadlineAt().toString());
        d.put("smsCapable", c.smsCapable());
        return new LedgerEvent(c.id(), LedgerEvent.RECEIVED, now, actor, d);
    }

    private static LedgerEvent mergedEvent(Existing open, RiskCase cand, Instant now, String actor) {
        Map<String, Object> d = new HashMap<>();
        d.put("source", cand.source());
        d.put("externalId", cand.externalId());
        d.put("category", cand.category().name());
        if (cand.deadlineAt().isBefore(open.deadlineAt())) {
            d.put("deadlineAt", cand.deadlineAt().toString());
            d.put("previousDeadlineAt", open.deadlineAt().toString());
        }
        return new LedgerEvent(open.id(), LedgerEvent.MERGED, now, actor, d);
    }

    private Map<String, Existing> findBySource(Connection c, String source, List<RiskCase> cands) throws SQLException {
        Map<String, Existing> found = new HashMap<>();
        List<String> ids = cands.stream().map(RiskCase::externalId).distinct().toList();
        String sql = "SELECT s.external_id, c.id, c.status, c.category, c.deadline_at FROM case_sources s "
                + "JOIN cases c ON c.id = s.case_id WHERE s.source = ? AND s.external_id IN (" + marks(ids.size()) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, source);
            for (int i = 0; i < ids.size(); i++) ps.setString(i + 2, ids.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.put(rs.getString(1), existing(rs));
            }
        }
        return found;
    }

    private Map<String, Existing> findOpen(Connection c, List<RiskCase> cands) throws SQLException {
        Map<String, Existing> found = new HashMap<>();
        List<String> keys = cands.stream().map(Sql::openKey).distinct().toList();
        String sql = "SELECT open_key, id, status, category, deadline_at FROM cases WHERE open_key IN ("
                + marks(keys.size()) + ") FOR UPDATE";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < keys.size(); i++) ps.setString(i + 1, keys.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.put(rs.getString(1), existing(rs));
            }
        }
        return found;
    }

    private static Existing existing(ResultSet rs) throws SQLException {
        return new Existing(rs.getString("id"), CaseStatus.valueOf(rs.getString("status")),
                Category.valueOf(rs.getString("category")), Sql.instant(rs, "deadline_at"));
    }

    private static void insertCases(Connection c, Collection<RiskCase> cases) throws SQLException {
        if (cases.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO cases (" + Sql.CASE_COLUMNS
                + ", open_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (RiskCase r : cases) {
                ps.setString(1, r.id());
                ps.setString(2, r.source());
                ps.setString(3, r.externalId());
                ps.setString(4, r.name());
                ps.setString(5, r.phone());
                ps.setBoolean(6, r.smsCapable());
                ps.setString(7, r.idNumber());
                ps.setString(8, r.category().name());
                ps.setString(9, r.jurisdiction());
                ps.setTimestamp(10, Sql.ts(r.pushedAt()));
                ps.setTimestamp(11, Sql.ts(r.receivedAt()));
                ps.setTimestamp(12, Sql.ts(r.deadlineAt()));
                ps.setString(13, r.status().name());
                ps.setString(14, Sql.openKey(r));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertSources(Connection c, List<RiskCase> rows, List<String> caseIds, Instant now)
            throws SQLException {
        if (rows.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO case_sources (source, external_id, case_id, received_at) VALUES (?, ?, ?, ?)")) {
            for (int i = 0; i < rows.size(); i++) {
                ps.setString(1, rows.get(i).source());
                ps.setString(2, rows.get(i).externalId());
                ps.setString(3, caseIds.get(i));
                ps.setTimestamp(4, Sql.ts(now));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * A stricter push tightens everything that orders the work: the case's deadline and category, its escalation
     * point (if already planned), the deadline its waiting attempts are ranked by, and its next call is due now.
     */
    private void moveDeadlines(Connection c, Map<String, RiskCase> moves, Instant now) throws SQLException {
        if (moves.isEmpty()) return;
        try (PreparedStatement cs = c.prepareStatement("UPDATE cases SET deadline_at = ?, category = ?, "
                + "escalate_at = LEAST(escalate_at, ?) WHERE id = ? AND deadline_at > ?");
             PreparedStatement as = c.prepareStatement("UPDATE attempts SET deadline_at = ?, due_at = LEAST(due_at, ?) "
                     + "WHERE case_id = ? AND status IN ('PLANNED', 'CLAIMED')")) {
            for (Map.Entry<String, RiskCase> m : moves.entrySet()) {
                RiskCase stricter = m.getValue();
                cs.setTimestamp(1, Sql.ts(stricter.deadlineAt()));
                cs.setString(2, stricter.category().name());
                cs.setTimestamp(3, Sql.ts(planner.escalateAt(stricter)));
                cs.setString(4, m.getKey());
                cs.setTimestamp(5, Sql.ts(stricter.deadlineAt()));
                cs.addBatch();
                as.setTimestamp(1, Sql.ts(stricter.deadlineAt()));
                as.setTimestamp(2, Sql.ts(now));
                as.setString(3, m.getKey());
                as.addBatch();
            }
            cs.executeBatch();
            as.executeBatch();
        }
    }

    private static void insertEvents(Connection c, List<LedgerEvent> events) throws SQLException {
        if (events.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(Sql.INSERT_EVENT)) {
            for (LedgerEvent e : events) {
                Sql.bindEvent(ps, e);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
