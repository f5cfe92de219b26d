package org.screening.outreach.ivr;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a call stands between two events, small enough to be stored as JSON in the attempt's row between
 * Twilio webhooks (see {@link IvrSessionJson}). {@code waitingAt} is the gather awaiting keys (in a session that
 * ended {@code HUNG_UP}, the question the line closed on: a keypress for it that arrives late still counts as an
 * answer to it), {@code tries} how
 * many silences or invalid entries it has had, {@code turns} how many times the call has waited for keys.
 * {@code language} is the script's language, so a call goes on in the language it started in; null in a session
 * stored before sessions had one (it ran the configured language).
 */
public record IvrSession(String script, int version, Status status, String waitingAt, int tries, int turns,
                         Map<String, String> answers, String language) {

    public enum Status {
        /** Not started yet. */
        NEW,
        /** Waiting for keys at {@code waitingAt}. */
        WAITING,
        /** The script reached a hangup step. */
        COMPLETED,
        /** The callee hung up before the end. */
        HUNG_UP,
        /** Stopped by the engine: the turn limit, or a script changed under a running call. */
        ABANDONED
    }

    public IvrSession {
        answers = Collections.unmodifiableMap(new LinkedHashMap<>(answers == null ? Map.of() : answers));
    }

    public static IvrSession start(IvrScript script) {
        return new IvrSession(script.id(), script.version(), Status.NEW, null, 0, 0, Map.of(), script.language());
    }

    public boolean ended() {
        return status == Status.COMPLETED || status == Status.HUNG_UP || status == Status.ABANDONED;
    }

    /**
     * The session once the line has closed: hung up where it waited (the question kept in {@code waitingAt}), the
     * answers as they were; an ended session stays as it is.
     */
    public IvrSession hungUp() {
        return ended() ? this : with(Status.HUNG_UP, waitingAt, 0, turns, answers);
    }

    IvrSession with(Status s, String waiting, int newTries, int newTurns, Map<String, String> newAnswers) {
        return new IvrSession(script, version, s, waiting, newTries, newTurns, newAnswers, language);
    }
}
