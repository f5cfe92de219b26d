package org.screening.outreach.channels;

import org.screening.outreach.domain.ChannelKind;

/**
 * What every provider (sim, Twilio, Asterisk) implements for one channel kind: take an attempt, report its
 * outcome later through the sink (any thread, possibly twice — the receiver is idempotent), and say how much
 * it can carry so the dispatcher never asks for more.
 */
public interface ChannelAdapter {
    ChannelKind kind();

    /** Provider name as configured (sim, twilio, asterisk). */
    String provider();

    Capacity capacity();

    /** Provider requests tried again since start (Twilio 429 / 5xx / no connection); 0 for providers without retries. */
    default long retries() {
        return 0;
    }

    /**
     * Whether each provider behind this adapter can take work now, by provider name: a held link (Asterisk's AMI)
     * can be down; a stateless HTTP API is taken as up (its failures show as failed sends). For the
     * {@code provider_up} gauge.
     */
    default java.util.Map<String, java.util.function.BooleanSupplier> links() {
        return java.util.Map.of(provider(), () -> true);
    }

    /** Starts the SMS or call; must not block on the network. */
    void send(OutboundAttempt attempt, OutcomeSink sink);
}
