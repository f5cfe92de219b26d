package org.screening.outreach.channels;

import java.util.Map;
import org.screening.outreach.domain.AttemptOutcome;

/** Where adapters report outcomes; {@code details} are provider facts worth keeping (duration, error code). */
public interface OutcomeSink {
    /**
     * Detail set (true) on a FAILED outcome when the provider itself is unreachable or failing (AMI link down,
     * Twilio 5xx or no connection beyond retries), not the number: a secondary provider may then take the attempt.
     */
    String PROVIDER_DOWN = "providerDown";

    void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details);

    /**
     * The provider took the attempt and will report its final outcome later through a webhook (Twilio): the
     * dispatcher frees the slot and keeps the provider's reference, and the attempt is no longer leased.
     */
    default void accepted(long attemptId, String providerRef) {
        // adapters that report the outcome themselves never call this
    }

    /**
     * Something worth a line in the case's ledger that is not an outcome (a switch to the secondary provider);
     * {@code type} is the ledger event type.
     */
    default void note(long attemptId, String type, Map<String, Object> data) {
        // sinks that keep no ledger ignore it
    }
}
