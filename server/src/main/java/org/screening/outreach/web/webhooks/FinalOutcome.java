package org.screening.outreach.web.webhooks;

import java.time.Instant;
import java.util.Map;
import org.screening.outreach.domain.AttemptOutcome;

/**
 * Applies an attempt's final outcome once; later calls for the same attempt return false. The shape of
 * {@code AttemptQueue.complete}, so the wiring passes {@code queue::complete}. Called on a worker thread.
 */
@FunctionalInterface
public interface FinalOutcome {
    boolean complete(long attemptId, AttemptOutcome outcome, Map<String, Object> details, Instant now);
}
