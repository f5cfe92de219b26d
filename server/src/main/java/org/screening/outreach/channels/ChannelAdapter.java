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

    /** Starts the SMS or call; must not block on the network. */
    void send(OutboundAttempt attempt, OutcomeSink sink);
}
