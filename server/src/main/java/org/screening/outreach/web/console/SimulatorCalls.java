package org.screening.outreach.web.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.ivr.IvrSession;
import org.screening.outreach.ivr.RecordedAnswer;

/**
 * The practice calls of the phone simulator, in memory only and keyed by the hash of the console session id: a
 * practice call never has a case, an attempt, a ledger event or a row. Bounded ({@link #MAX_CALLS}, the least
 * recently used goes first) and forgotten after {@link #IDLE} without a key press.
 */
final class SimulatorCalls {
    static final int MAX_CALLS = 200;
    static final Duration IDLE = Duration.ofMinutes(30);

    /** One line of the transcript: {@code heard} is what the phone says, otherwise what the caller did. */
    record Line(boolean heard, String text) {}

    /**
     * A practice call: its script, the engine's session, the transcript, the answers recorded, the keys typed
     * since the last gather began and how many keys that gather takes at most.
     */
    static final class Call {
        final String script;
        final String language;
        IvrSession session;
        final List<Line> lines = new ArrayList<>();
        final List<RecordedAnswer> answers = new ArrayList<>();
        String pending = "";
        int maxDigits;
        Instant used;

        Call(String script, String language, IvrSession session, Instant now) {
            this.script = script;
            this.language = language;
            this.session = session;
            this.used = now;
        }
    }

    private final Clock clock;
    private final Map<String, Call> calls = new LinkedHashMap<>(16, 0.75f, true);

    SimulatorCalls(Clock clock) {
        this.clock = clock;
    }

    synchronized void put(String sessionKey, Call call) {
        purge();
        calls.put(sessionKey, call);
        while (calls.size() > MAX_CALLS) {
            Iterator<String> eldest = calls.keySet().iterator();
            eldest.next();
            eldest.remove();
        }
    }

    /** The live call of this console session, touched; empty when none or idle too long. */
    synchronized Optional<Call> get(String sessionKey) {
        purge();
        Call c = calls.get(sessionKey);
        if (c != null) c.used = clock.instant();
        return Optional.ofNullable(c);
    }

    synchronized void remove(String sessionKey) {
        calls.remove(sessionKey);
    }

    synchronized int size() {
        purge();
        return calls.size();
    }

    private void purge() {
        Instant cutoff = clock.instant().minus(IDLE);
        calls.values().removeIf(c -> c.used.isBefore(cutoff));
    }
}
