package org.screening.outreach.channels.twilio;

import java.time.Duration;

/**
 * When a Twilio send that certainly created no message (429 / 20429, 5xx, connect failure) is tried again:
 * at most {@code maxTries} requests in all, no new try once {@code maxElapsed} has passed since the first one,
 * delays doubling from {@code baseDelay} up to {@code maxDelay} with "equal jitter" (half fixed, half random) so
 * a thousand attempts throttled together do not come back together.
 *
 * <p>{@code retryAfterResponseTimeout}: a request that timed out waiting for the answer may have created the
 * message (Twilio got it, we did not hear back). Off by default: the attempt fails with {@code maybeSent=true}
 * and the status callback (it carries our attempt id) settles it if a message did go out. On, it is retried —
 * at-least-once, a person may get the reminder twice.
 */
public record RetryPolicy(int maxTries, Duration baseDelay, Duration maxDelay, Duration maxElapsed,
                          boolean retryAfterResponseTimeout) {
    public RetryPolicy {
        if (maxTries < 1) throw new IllegalArgumentException("maxTries must be >= 1");
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) throw new IllegalArgumentException("bad delays");
    }

    /**
     * 5 tries over about 15 s (1, 2, 4, 8 s with jitter), never past 1 minute: the dispatcher's SMS lease (2 min)
     * must outlast every retry plus a response timeout, or the reaper would hand the attempt out a second time.
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1), false);
    }

    /**
     * Retries that end while the attempt is still leased: the last try starts by {@code lease − responseTimeout − 5 s}
     * at the latest, so the reaper never hands the attempt to another node while this one may still be sending it
     * (a short OUTREACH_SMS_LEASE_SECONDS would otherwise mean a text sent twice). No retries if the lease is shorter.
     */
    public RetryPolicy within(Duration lease, Duration responseTimeout) {
        Duration room = lease.minus(responseTimeout).minusSeconds(5);
        if (room.isNegative()) room = Duration.ZERO;
        return new RetryPolicy(room.isZero() ? 1 : maxTries, baseDelay, maxDelay,
                room.compareTo(maxElapsed) < 0 ? room : maxElapsed, retryAfterResponseTimeout);
    }

    public RetryPolicy withRetryAfterResponseTimeout(boolean retry) {
        return new RetryPolicy(maxTries, baseDelay, maxDelay, maxElapsed, retry);
    }

    /** Delay after {@code failedTries} failures (1 = after the first), given a random number in [0, 1). */
    public Duration backoff(int failedTries, double random01) {
        long base = baseDelay.toMillis();
        long cap = maxDelay.toMillis();
        long exp = failedTries >= 62 ? cap : Math.min(cap, base << Math.min(failedTries - 1, 30));
        long half = exp / 2;
        return Duration.ofMillis(half + (long) (random01 * (exp - half + 1)));
    }
}
