package org.screening.outreach.channels.voice.asterisk;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.ivr.CallSessions;
import org.screening.outreach.ivr.IvrSession;

/** {@link CallSessions} in memory with the database version's rules: a save wins only on the expected event count. */
final class InMemoryCallSessions implements CallSessions {
    private record Row(String caseId, String name, String language, Stored stored) {}

    private final Map<Long, Row> rows = new ConcurrentHashMap<>();
    /** Attempt → events stored after which its database "fails": every later read and write of it throws. */
    private final Map<Long, Integer> downAfter = new ConcurrentHashMap<>();
    /** Attempts whose failure is no store error but something unforeseen (an Error, as a bug might raise). */
    private final Set<Long> unforeseen = ConcurrentHashMap.newKeySet();
    private final List<LedgerEvent> ledger = new ArrayList<>();

    /** A VOICE attempt the conversation can find, of a case in zh-CN. */
    void add(long attemptId, String caseId, String personName) {
        add(attemptId, caseId, personName, "zh-CN");
    }

    /** A VOICE attempt of a case in {@code language}. */
    void add(long attemptId, String caseId, String personName, String language) {
        rows.put(attemptId, new Row(caseId, personName, language, null));
    }

    /** The case's language changes (a later push) while its call goes on. */
    void changeLanguage(long attemptId, String language) {
        rows.computeIfPresent(attemptId, (id, r) -> new Row(r.caseId(), r.name(), language, r.stored()));
    }

    /** The database fails for this attempt once it has stored {@code events} events (0: at once). */
    void failAfter(long attemptId, int events) {
        downAfter.put(attemptId, events);
    }

    /** Once this attempt has stored {@code events} events, its next read throws an Error, as a bug might: once. */
    void breakAfter(long attemptId, int events) {
        unforeseen.add(attemptId);
        downAfter.put(attemptId, events);
    }

    /** The database is back for this attempt. */
    void recover(long attemptId) {
        downAfter.remove(attemptId);
    }

    private void checkUp(long attemptId) {
        Integer after = downAfter.get(attemptId);
        Row r = rows.get(attemptId);
        int stored = r == null || r.stored() == null ? 0 : r.stored().events();
        if (after == null || stored < after) return;
        if (unforeseen.remove(attemptId)) {
            downAfter.remove(attemptId);
            throw new AssertionError("an unforeseen failure (test)");
        }
        throw new IllegalStateException("database unavailable (test)");
    }

    @Override
    public Optional<Call> find(long attemptId) {
        checkUp(attemptId);
        Row r = rows.get(attemptId);
        if (r == null) return Optional.empty();
        return Optional.of(new Call(attemptId, r.caseId(), r.name(), "510104001001", r.language(), true, Optional.ofNullable(r.stored())));
    }

    @Override
    public synchronized boolean save(long attemptId, int eventNo, IvrSession session, String reply,
                                     List<LedgerEvent> answers) {
        checkUp(attemptId);
        Row r = rows.get(attemptId);
        int had = r.stored() == null ? 0 : r.stored().events();
        if (had != eventNo - 1) return false;
        rows.put(attemptId, new Row(r.caseId(), r.name(), r.language(), new Stored(session, reply, eventNo)));
        ledger.addAll(answers);
        return true;
    }

    synchronized List<LedgerEvent> ledger(String caseId) {
        return ledger.stream().filter(e -> e.caseId().equals(caseId)).toList();
    }

    Optional<IvrSession> session(long attemptId) {
        Row r = rows.get(attemptId);
        return r == null || r.stored() == null ? Optional.empty() : Optional.of(r.stored().session());
    }
}
