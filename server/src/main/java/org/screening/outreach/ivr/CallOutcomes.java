package org.screening.outreach.ivr;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.AttemptOutcome;

/**
 * Settles a call attempt once the call is over, whatever the provider: a call someone picked up closes its IVR
 * session (hung up if it was still waiting for keys) and carries the answers into the outcome, so the
 * first-check rules decide what follows; any other outcome goes to the retry plan as it is.
 */
public final class CallOutcomes {
    /** The error of an attempt whose conversation broke off on our side (the callee heard the apology). */
    public static final String BROKE_OFF = "ivr_failed";

    /** How attempt outcomes are applied (the dispatcher's queue): once per attempt, later ones change nothing. */
    public interface Outcomes {
        boolean complete(long attemptId, AttemptOutcome outcome, Map<String, Object> details, Instant now);
    }

    private final Conversations conversations;
    private final CallSessions sessions;
    private final Outcomes outcomes;

    public CallOutcomes(Conversations conversations, CallSessions sessions, Outcomes outcomes) {
        this.conversations = conversations;
        this.sessions = sessions;
        this.outcomes = outcomes;
    }

    /** The provider's final word on the call. True when it settled the attempt; false when settled before. */
    public boolean ended(long attemptId, AttemptOutcome outcome, Map<String, Object> providerFacts, Instant now) {
        Map<String, Object> details = new HashMap<>(providerFacts);
        if (outcome == AttemptOutcome.ANSWERED) {
            conversations.finish(attemptId).ifPresent(s -> details.putAll(Conversations.outcomeDetails(s)));
        }
        return outcomes.complete(attemptId, outcome, details, now);
    }

    /**
     * A call whose conversation broke off on our side ({@link BrokenOffCalls}): not a first check, however far it
     * got, so FAILED {@link #BROKE_OFF} and the plan calls again. The answers stored before stay in the ledger and
     * are repeated in the outcome. True when it settled the attempt; false when settled before, or when the attempt
     * is no call (an id no call of ours carries changes nothing).
     */
    public boolean brokeOff(long attemptId, Map<String, Object> providerFacts, Instant now) {
        Optional<CallSessions.Call> call = sessions.find(attemptId);
        if (call.isEmpty() || !call.get().attemptOpen()) return false;
        Map<String, Object> details = new HashMap<>();
        call.get().stored().ifPresent(s -> details.putAll(s.session().answers()));
        details.putAll(providerFacts);
        details.put("error", BROKE_OFF);
        return outcomes.complete(attemptId, AttemptOutcome.FAILED, details, now);
    }

    /**
     * A call the provider took but never reported on (a Twilio status callback lost, an Asterisk call whose
     * outcome went with the AMI link): if the callee got as far as the IVR, it was answered and the answers stand;
     * otherwise nothing is known and the plan calls again.
     */
    public boolean neverReported(long attemptId, Instant now) {
        boolean talked = sessions.find(attemptId).flatMap(CallSessions.Call::stored).isPresent();
        Map<String, Object> facts = Map.of("settledBy", "no_outcome_reported");
        return talked ? ended(attemptId, AttemptOutcome.ANSWERED, facts, now)
                : outcomes.complete(attemptId, AttemptOutcome.FAILED, facts, now);
    }
}
