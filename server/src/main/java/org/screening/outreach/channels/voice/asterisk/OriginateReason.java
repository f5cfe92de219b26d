package org.screening.outreach.channels.voice.asterisk;

import org.screening.outreach.domain.AttemptOutcome;

/**
 * Asterisk's Originate reason codes (the {@code Reason} of an {@code OriginateResponse} event, from
 * {@code AST_CONTROL_*}) in our words. Only {@link #ANSWERED} starts a conversation; its outcome is reported when
 * the call ends.
 */
final class OriginateReason {
    static final int FAILURE = 0;
    static final int HANGUP = 1;
    static final int RING = 2;
    static final int RINGING = 3;
    static final int ANSWERED = 4;
    static final int BUSY = 5;
    static final int CONGESTION = 8;

    private OriginateReason() {}

    /** The outcome of a call that was not answered; reasons 2 and 3 mean it rang out, 1 that it was rejected. */
    static AttemptOutcome unanswered(int reason) {
        return switch (reason) {
            case RING, RINGING, HANGUP -> AttemptOutcome.NO_ANSWER;
            case BUSY -> AttemptOutcome.BUSY;
            default -> AttemptOutcome.FAILED; // 8 congestion, 0 failure (no route, bad channel), anything newer
        };
    }
}
