package org.screening.outreach.ivr;

import java.util.concurrent.CompletionStage;

/**
 * Calls whose conversation broke off on our side (the database failed; the callee heard the apology and the line
 * closed), kept where the database is not needed: a call in that state must end FAILED {@link CallOutcomes#BROKE_OFF}
 * so the plan calls again, as the apology promised, even when the provider's report of it settles it otherwise (a
 * Twilio status callback saying "completed") or is lost (an outcome write that outlasted its patience, settled later
 * as unreported). Once the database is back each is settled with {@link CallOutcomes#brokeOff}.
 */
@FunctionalInterface
public interface BrokenOffCalls {
    /**
     * Keeps the attempt's call as broken off; completes once it is kept (on disk), fails when it cannot be.
     * Blocks nothing: {@code provider} names the call's provider in the outcome.
     */
    CompletionStage<Void> keep(long attemptId, String provider);
}
