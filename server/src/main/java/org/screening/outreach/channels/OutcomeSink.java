package org.screening.outreach.channels;

import java.util.Map;
import org.screening.outreach.domain.AttemptOutcome;

/** Where adapters report outcomes; {@code details} are provider facts worth keeping (duration, error code). */
public interface OutcomeSink {
    void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details);

    /**
     * The provider took the attempt and will report its final outcome later through a webhook (Twilio): the
     * dispatcher frees the slot and keeps the provider's reference, and the attempt is no longer leased.
     */
    default void accepted(long attemptId, String providerRef) {
        // adapters that report the outcome themselves never call this
    }
}
