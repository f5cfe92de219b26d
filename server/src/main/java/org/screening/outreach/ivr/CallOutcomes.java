package org.screening.outreach.ivr;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.screening.outreach.domain.AttemptOutcome;

/**
 * Settles a call attempt once the call is over, whatever the provider: a call someone picked up closes its IVR
 * session (hung up if it was still waiting for keys) and carries the answers into the outcome, so the
 * first-check rules decide what follows; any other outcome goes to the retry plan as it is.
 */
public final class CallOutcomes {
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
