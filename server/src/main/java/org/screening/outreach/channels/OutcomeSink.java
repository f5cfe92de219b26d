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
     * Detail set (true) on a FAILED outcome of an attempt the adapter did not send because {@link #stillWanted} said
     * no by the time its request's turn came: nothing went to the provider.
     */
    String WITHDRAWN = "withdrawn";

    /**
     * Asked by an adapter that queues requests (Twilio's sender pool) right before an attempt's request goes out,
     * and before each retry: false when the attempt is no longer to be sent (its campaign was paused or cancelled
     * meanwhile). The adapter then sends nothing and reports FAILED with {@link #WITHDRAWN}.
     */
    default boolean stillWanted(long attemptId) {
        return true;
    }

    /**
     * The provider took the attempt and will report its final outcome later through a webhook (Twilio): the
     * dispatcher frees the slot and keeps the provider's reference, and the attempt is no longer leased.
     */
    default void accepted(long attemptId, String providerRef) {
        // adapters that report the outcome themselves never call this
    }

    /**
     * The attempt may reach the callee from now on (an Asterisk Originate written to the PBX), and the adapter
     * reports its outcome itself. The attempt leaves the lease queue so that no node dials it again if that outcome
     * is lost with the PBX link; a call never reported is settled once no call could still be running
     * (SettleUnreportedCallsJob). Unlike {@link #accepted}, the dispatcher's slot stays taken until the report.
     */
    default void dialling(long attemptId, String providerRef) {
        // adapters that hand calls over (accepted) or cannot lose an outcome never call this
    }

    /**
     * Something worth a line in the case's ledger that is not an outcome (a switch to the secondary provider);
     * {@code type} is the ledger event type.
     */
    default void note(long attemptId, String type, Map<String, Object> data) {
        // sinks that keep no ledger ignore it
    }
}
