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
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.ControlMatch;
import org.screening.outreach.domain.KnownPerson;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.SamePerson;
import org.screening.outreach.intake.Candidate;
import org.screening.outreach.intake.CaseStore;
import org.screening.outreach.intake.CaseStore.Outcome;
import org.screening.outreach.intake.CaseStore.Stored;
import org.screening.outreach.privacy.IdNumbers;

/**
 * Stores intake batches: one short transaction per batch with multi-row inserts. A concurrent import of the same
 * rows makes one of the two hit a unique key; that batch is rolled back and retried, and then sees duplicates.
 * New cases are matched against the people already known (known_persons, looked up once per batch).
 */
public final class JdbcCaseStore implements CaseStore {
    private static final int ATTEMPTS = 4;
    private static final String INSERT_COLUMNS = "id, source, external_id, name, phone, sms_capable, id_number_enc, "
            + "category, jurisdiction, pushed_at, received_at, deadline_at, status, open_key, language";
    private final Database db;
    private final ContactPlanner planner;
    private final ControlMatch match;

    /** {@code planner} gives a tightened case its new escalation point. */
    public JdbcCaseStore(Database db, ContactPlanner planner) {
        this(db, planner, new ControlMatch(ControlMatch.DEFAULT_WINDOW));
    }

    /** {@code match} decides which new cases are people already reported or under control. */
    public JdbcCaseStore(Database db, ContactPlanner planner, ControlMatch match) {
        this.db = db;
        this.planner = planner;
        this.match = match;
    }

    /** A case an external id of this source already names, and the person it was given for (phone, community). */
    private record Existing(String id, CaseStatus status, String phone, String jurisdiction) {
        boolean samePerson(RiskCase row) {
            return phone.equals(row.phone()) && jurisdiction.equals(row.jurisdiction());
        }
    }

    /** A control-list row under an id its source used before: the same entry when phone and community agree. */
    private static boolean sameListedPerson(KnownPerson before, KnownPerson row) {
        return before.phone().equals(row.phone()) && before.jurisdiction().equals(row.jurisdiction());
    }

    @Override
    public List<Stored> store(String source, List<Candidate> candidates, Instant now, String actor) {
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
        return e.getErrorCode() == 1062 || Tx.conflict(e);
    }

    private List<Stored> storeOnce(Connection c, String source, List<Candidate> candidates, Instant now, String actor)
            throws SQLException {
        List<RiskCase> cases = new ArrayList<>(candidates.size());
        List<KnownPerson> listRows = new ArrayList<>();
        for (Candidate cand : candidates) {
            if (cand.riskCase() != null) cases.add(cand.riskCase());
            else listRows.add(cand.underControl());
        }
        Map<String, Existing> bySourceId = findBySource(c, source, cases);
        OpenCases open = OpenCases.load(c, db.idNumbers(), cases);
        // People a new case of this batch may turn out to be: looked up once for the batch, then grown by its rows.
        ControlMatch.People people = new ControlMatch.People(JdbcKnownPersons.candidatesFor(c,
                db.idNumbers(), cases.stream().filter(r -> !bySourceId.containsKey(r.externalId())).toList(), knownSince(cases, now)));
        Map<String, KnownPerson> listedBefore = JdbcKnownPersons.listedBy(c, db.idNumbers(), source, listRows);
        Stored[] result = new Stored[candidates.size()];
        Map<String, KnownPerson> seenListed = new HashMap<>();
        List<RiskCase> created = new ArrayList<>();
        List<KnownPerson> newlyKnown = new ArrayList<>();
        List<RiskCase> aliases = new ArrayList<>();
        List<String> aliasCaseIds = new ArrayList<>();
        List<EventRow> events = new ArrayList<>();
        MergeUpdates merges = new MergeUpdates();
        Map<String, String> openKeys = new HashMap<>(); // new open cases' keys, by case id
        List<String> relisted = new ArrayList<>(); // control-list entries listed again by this batch

        for (int i = 0; i < candidates.size(); i++) {
            KnownPerson listed = candidates.get(i).underControl();
            if (listed != null) {
                KnownPerson before = listedBefore.get(listed.externalId());
                KnownPerson first = before != null ? before : seenListed.get(listed.externalId());
                if (first != null && !sameListedPerson(first, listed)) result[i] = new Stored(null, null, Outcome.ID_TAKEN);
                else if (first != null) {
                    result[i] = new Stored(first.id(), CaseStatus.UNDER_CONTROL, Outcome.DUPLICATE);
                    // The list sent again (daily, while the measure lasts): they are still under control as of now.
                    if (before != null) relisted.add(before.id());
                } else {
                    result[i] = new Stored(listed.id(), CaseStatus.UNDER_CONTROL, Outcome.CONTROL_LISTED);
                    seenListed.put(listed.externalId(), listed);
                    newlyKnown.add(listed);
                    people.add(listed);
                }
                continue;
            }
            RiskCase cand = candidates.get(i).riskCase();
            // Stored before, or earlier in this batch (each row joins bySourceId below).
            Existing known = bySourceId.get(cand.externalId());
            if (known != null) {
                // The id again for someone else (lists numbered 1..N each day): not a duplicate, and not this case.
                result[i] = known.samePerson(cand) ? new Stored(known.id(), known.status(), Outcome.DUPLICATE)
                        : new Stored(null, null, Outcome.ID_TAKEN);
                continue;
            }
            Optional<OpenCases.Open> person = open.personOf(cand);
            if (person.isPresent() && SamePerson.newRisk(person.get().status(), person.get().receivedAt(),
                    person.get().deadlineAt(), cand)) {
                // Verified, now pushed as new risk: screened again in a case of its own (the verified one stays).
                open.release(person.get());
                person = Optional.empty();
            }
            ControlMatch.Match m = person.isEmpty() ? matchOf(cand, people) : null;
            if (person.isPresent()) {
                OpenCases.Open o = person.get();
                result[i] = new Stored(o.id(), o.status(), Outcome.MERGED);
                boolean newLanguage = candidates.get(i).languageGiven() && cand.language() != o.language();
                events.add(mergedEvent(o, cand, newLanguage, now, actor));
                boolean stricter = cand.deadlineAt().isBefore(o.deadlineAt());
                // A stricter push of the same person tightens the deadline; it never loosens it.
                if (stricter) merges.tighten(o.id(), cand);
                if (newLanguage) merges.language(o.id(), cand.language());
                if (stricter || newLanguage) open.replace(o, o.mergedWith(cand, stricter, newLanguage));
                // The case keeps its own (source, external id); another source's id of it is an alias.
                aliases.add(cand);
                aliasCaseIds.add(o.id());
            } else if (m != null) {
                // Already reported or under control: the case is kept (the push happened) but closed at once.
                ControlMatch.Duplicate dup = ControlMatch.close(cand, m, now);
                String pointer = m.person().caseId() != null ? m.person().caseId() : m.person().id();
                result[i] = new Stored(cand.id(), dup.closed().status(), Outcome.DUPLICATE_UNDER_CONTROL, pointer);
                created.add(dup.closed());
                events.add(receivedEvent(cand, now, actor));
                for (LedgerEvent e : dup.events()) events.add(eventRow(e));
            } else {
                result[i] = new Stored(cand.id(), cand.status(), Outcome.CREATED);
                created.add(cand);
                openKeys.put(cand.id(), open.keyFor(cand));
                events.add(receivedEvent(cand, now, actor));
                KnownPerson.ofNewCase(cand).ifPresent(p -> {
                    newlyKnown.add(p);
                    people.add(p);
                });
            }
            bySourceId.put(cand.externalId(), new Existing(result[i].caseId(), result[i].status(), cand.phone(),
                    cand.jurisdiction()));
        }
        open.applyReleases(c);
        insertCases(c, db.idNumbers(), created, openKeys);
        JdbcKnownPersons.insert(c, db.idNumbers(), newlyKnown);
        JdbcKnownPersons.listedAgain(c, relisted, now);
        insertSources(c, aliases, aliasCaseIds, now);
        merges.apply(c, planner, now);
        insertEvents(c, events);
        checkNoCrossTableTwin(c, source, created, aliases);
        return List.of(result);
    }

    /** Null when {@code cand} is nobody already known. */
    private ControlMatch.Match matchOf(RiskCase cand, ControlMatch.People people) {
        List<KnownPerson> sharing = people.sharingWith(cand);
        return sharing.isEmpty() ? null : match.find(cand, sharing).orElse(null);
    }

    /** Where the window of the batch's earliest received case starts. */
    private Instant knownSince(List<RiskCase> cases, Instant now) {
        Instant earliest = now;
        for (RiskCase r : cases) if (r.receivedAt().isBefore(earliest)) earliest = r.receivedAt();
        return match.knownSince(earliest);
    }

    /**
     * A (source, external id) is unique across {@code cases} (its own id) and {@code case_sources} (an alias), but
     * no single key spans both tables. After inserting, a locking read of the other table waits for a concurrent
     * batch that inserted the same id there and sees it once committed; the batch is then retried (and sees a
     * duplicate). Two batches waiting on each other are a deadlock, which the database breaks, and are retried too.
     */
    private static void checkNoCrossTableTwin(Connection c, String source, List<RiskCase> created,
                                              List<RiskCase> aliases) throws SQLException {
        if (!created.isEmpty() && anyExists(c, "SELECT 1 FROM case_sources WHERE source = ? AND external_id IN (",
                source, created)) {
            throw new SQLException("an id of this batch was merged by a concurrent import", "23000", 1062);
        }
        if (!aliases.isEmpty() && anyExists(c, "SELECT 1 FROM cases WHERE source = ? AND external_id IN (",
                source, aliases)) {
            throw new SQLException("an id of this batch was created by a concurrent import", "23000", 1062);
        }
    }

    private static boolean anyExists(Connection c, String sqlStart, String source, List<RiskCase> rows)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sqlStart + marks(rows.size()) + ") LIMIT 1 LOCK IN SHARE MODE")) {
            ps.setString(1, source);
            for (int i = 0; i < rows.size(); i++) ps.setString(i + 2, rows.get(i).externalId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** A ledger line ready to insert: the data already encoded as JSON. */
    private record EventRow(String caseId, String type, Instant at, String actor, String data) {}

    /** Same keys as ever; built directly, since this is one line per accepted row. */
    private static EventRow receivedEvent(RiskCase c, Instant now, String actor) {
        StringBuilder d = new StringBuilder(200);
        d.append("{\"source\":");
        Sql.jsonString(d, c.source());
        d.append(",\"externalId\":");
        Sql.jsonString(d, c.externalId());
        d.append(",\"category\":\"").append(c.category().name());
        d.append("\",\"jurisdiction\":");
        Sql.jsonString(d, c.jurisdiction());
        d.append(",\"deadlineAt\":\"").append(c.deadlineAt().toString());
        d.append("\",\"smsCapable\":").append(c.smsCapable()).append('}');
        return new EventRow(c.id(), LedgerEvent.RECEIVED, now, actor, d.toString());
    }

    private static EventRow eventRow(LedgerEvent e) {
        return new EventRow(e.caseId(), e.type(), e.at(), e.actor(), Sql.json(e.data()));
    }

    private static EventRow mergedEvent(OpenCases.Open open, RiskCase cand, boolean newLanguage, Instant now, String actor) {
        Map<String, Object> d = new HashMap<>();
        d.put("source", cand.source());
        d.put("externalId", cand.externalId());
        d.put("category", cand.category().name());
        if (cand.deadlineAt().isBefore(open.deadlineAt())) {
            d.put("deadlineAt", cand.deadlineAt().toString());
            d.put("previousDeadlineAt", open.deadlineAt().toString());
        }
        if (newLanguage) {
            d.put("language", cand.language().tag());
            d.put("previousLanguage", open.language().tag());
        }
        return new EventRow(open.id(), LedgerEvent.MERGED, now, actor, Sql.json(d));
    }

    /** Ids this source already sent: a case's own (source, external id), or an alias merged into a case. */
    private Map<String, Existing> findBySource(Connection c, String source, List<RiskCase> cands) throws SQLException {
        Map<String, Existing> found = new HashMap<>();
        if (cands.isEmpty()) return found;
        List<String> ids = cands.stream().map(RiskCase::externalId).distinct().toList();
        String in = marks(ids.size());
        String sql = "SELECT external_id, id, status, phone, jurisdiction FROM cases WHERE source = ? "
                + "AND external_id IN (" + in + ") UNION ALL SELECT s.external_id, c.id, c.status, c.phone, "
                + "c.jurisdiction FROM case_sources s "
                + "JOIN cases c ON c.id = s.case_id WHERE s.source = ? AND s.external_id IN (" + in + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            for (int part = 0; part < 2; part++) {
                ps.setString(p++, source);
                for (String id : ids) ps.setString(p++, id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.put(rs.getString(1), existing(rs));
            }
        }
        return found;
    }

    private static Existing existing(ResultSet rs) throws SQLException {
        return new Existing(rs.getString("id"), CaseStatus.valueOf(rs.getString("status")), rs.getString("phone"),
                rs.getString("jurisdiction"));
    }

    /** The ID number is stored encrypted only (id_number, the plaintext column of earlier versions, stays empty). */
    /** {@code openKeys}: the key of each new open case (a case closed at once as a duplicate has none). */
    private static void insertCases(Connection c, IdNumbers idNumbers, List<RiskCase> cases, Map<String, String> openKeys)
            throws SQLException {
        Sql.UtcMemo received = new Sql.UtcMemo(); // a batch's cases share a few receipt milliseconds
        MultiRowInsert.insert(c, "INSERT INTO cases (" + INSERT_COLUMNS + ")", 15, cases, (ps, p, r) -> {
            ps.setString(p, r.id());
            ps.setString(p + 1, r.source());
            ps.setString(p + 2, r.externalId());
            ps.setString(p + 3, r.name());
            ps.setString(p + 4, r.phone());
            ps.setBoolean(p + 5, r.smsCapable());
            ps.setString(p + 6, idNumbers.seal(r.idNumber()));
            ps.setString(p + 7, r.category().name());
            ps.setString(p + 8, r.jurisdiction());
            ps.setString(p + 9, Sql.utc(r.pushedAt()));
            ps.setString(p + 10, received.of(r.receivedAt()));
            ps.setString(p + 11, Sql.utc(r.deadlineAt()));
            ps.setString(p + 12, r.status().name());
            ps.setString(p + 13, openKeys.get(r.id()));
            ps.setString(p + 14, r.language().tag());
        });
    }

    private static void insertSources(Connection c, List<RiskCase> rows, List<String> caseIds, Instant now)
            throws SQLException {
        if (rows.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO case_sources (source, external_id, case_id, received_at) VALUES (?, ?, ?, ?)")) {
            String at = Sql.utc(now);
            for (int i = 0; i < rows.size(); i++) {
                ps.setString(1, rows.get(i).source());
                ps.setString(2, rows.get(i).externalId());
                ps.setString(3, caseIds.get(i));
                ps.setString(4, at);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertEvents(Connection c, List<EventRow> events) throws SQLException {
        Sql.UtcMemo at = new Sql.UtcMemo();
        MultiRowInsert.insert(c, Sql.INSERT_EVENT_HEAD, 5, events, (ps, p, e) -> {
            ps.setString(p, e.caseId());
            ps.setString(p + 1, e.type());
            ps.setString(p + 2, at.of(e.at()));
            ps.setString(p + 3, e.actor());
            ps.setString(p + 4, e.data());
        });
    }

    static String marks(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }
}
