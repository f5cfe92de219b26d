package org.screening.outreach.ivr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The calls this node stepped last, as it stored them, so the next step of a call (or its status callback, once
 * the script has ended) need not read its session back from the database (a join per keypress). Only a hint: a
 * step taken from here is saved on the condition that the stored call has had exactly the events this copy has,
 * so a copy made stale by another node, a duplicate request or a status callback loses that race and the step is
 * run again from the database.
 */
final class RecentCalls {
    /** More calls than one node has in progress; the eldest copy goes first (a call whose end went elsewhere). */
    static final int CAPACITY = 20_000;

    private final Map<Long, CallSessions.Call> calls = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, CallSessions.Call> eldest) {
            return size() > CAPACITY;
        }
    };

    /** The call as stored after event number {@code events}, if this node stored it. */
    synchronized Optional<CallSessions.Call> after(long attemptId, int events) {
        CallSessions.Call c = calls.get(attemptId);
        if (c == null || c.stored().map(CallSessions.Stored::events).orElse(-1) != events) return Optional.empty();
        return Optional.of(c);
    }

    /** The call as just stored. */
    synchronized void stored(CallSessions.Call call) {
        calls.put(call.attemptId(), call);
    }

    /**
     * The session of a call whose script had ended when this node stored it, taken out: an ended session never
     * changes again, so its answers are final whatever happened elsewhere since.
     */
    synchronized Optional<IvrSession> takeEnded(long attemptId) {
        CallSessions.Call c = calls.get(attemptId);
        Optional<IvrSession> ended = c == null ? Optional.empty()
                : c.stored().map(CallSessions.Stored::session).filter(IvrSession::ended);
        if (ended.isPresent()) calls.remove(attemptId);
        return ended;
    }

    synchronized void forget(long attemptId) {
        calls.remove(attemptId);
    }
}
