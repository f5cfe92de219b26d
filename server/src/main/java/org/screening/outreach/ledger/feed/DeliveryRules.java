package org.screening.outreach.ledger.feed;

import java.time.Duration;
import java.time.Instant;

/**
 * Turns a delivery run into the cursor's next state: sent events move the cursor; the event it stopped at is
 * retried with {@link Backoff} (or later, when the receiver's Retry-After says so) until {@code horizon} has passed since its first failure, or parked at once when the
 * receiver refused it. Retry state belongs to the event at the head: sending an earlier one resets it.
 */
public final class DeliveryRules {
    private final Backoff backoff;
    private final Duration horizon;

    public DeliveryRules(Backoff backoff, Duration horizon) {
        this.backoff = backoff;
        this.horizon = horizon;
    }

    /** {@code sent}: events delivered from the start of the claim; {@code failure}: why the next one was not (or null). */
    public Settlement settle(CursorClaim c, int sent, SendResult failure, Instant now) {
        long delivered = sent == 0 ? c.deliveredSeq() : c.events().get(sent - 1).seq();
        if (failure == null) return new Settlement(c.id(), c.claimToken(), delivered, 0, null, null, null, now, false);
        boolean sameHead = sent == 0;
        int attempts = sameHead ? c.attempts() + 1 : 1;
        Instant first = sameHead && c.firstFailedAt() != null ? c.firstFailedAt() : now;
        String detail = failure.detail();
        if (failure.kind() == SendResult.Kind.REFUSED) {
            return new Settlement(c.id(), c.claimToken(), delivered, attempts, first, "refused: " + detail,
                    failure.status(), now, true);
        }
        if (!now.isBefore(first.plus(horizon))) {
            return new Settlement(c.id(), c.claimToken(), delivered, attempts, first, "gave up after " + attempts
                    + " attempts over " + horizon.toHours() + " h: " + detail, failure.status(), now, true);
        }
        return new Settlement(c.id(), c.claimToken(), delivered, attempts, first, detail, failure.status(),
                RetryAfter.next(now, backoff.after(attempts), failure), false);
    }
}
