package org.screening.outreach.ivr;

import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.LedgerEvent;

/**
 * Where the IVR session of each answered call is kept between two events (a Twilio webhook each), keyed by the
 * attempt. Implemented over the database; a call's answers reach the ledger in the same transaction as its
 * session, so a callee who hangs up after question 2 leaves exactly two answers.
 */
public interface CallSessions {

    /**
     * An attempt's call as the conversation needs it; {@code stored} is empty before the first event.
     * {@code language}: the case's language tag, which picks the script when one is loaded in it.
     */
    record Call(long attemptId, String caseId, String personName, String jurisdiction, String language,
                boolean attemptOpen, Optional<Stored> stored) {}

    /**
     * The session after the last event, the reply the provider got for it (replayed on a duplicate request), and
     * how many events the call has had.
     */
    record Stored(IvrSession session, String reply, int events) {}

    /** The call of a VOICE attempt, or empty when no such attempt exists. */
    Optional<Call> find(long attemptId);

    /**
     * Stores the session and reply of event number {@code eventNo} (1 for the first) and appends {@code answers},
     * only if the call has had {@code eventNo - 1} events: false when a concurrent duplicate of the same event won.
     */
    boolean save(long attemptId, int eventNo, IvrSession session, String reply, List<LedgerEvent> answers);
}
