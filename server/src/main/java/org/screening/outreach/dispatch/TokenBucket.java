package org.screening.outreach.dispatch;

import java.time.Clock;

/** Pace limiter: {@code ratePerSecond} tokens flow in, at most {@code burst} are kept. Time from the clock. */
public final class TokenBucket {
    private double ratePerSecond;
    private double burst;
    private final Clock clock;
    private double tokens;
    private long lastNanos;

    public TokenBucket(double ratePerSecond, double burst, Clock clock) {
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.clock = clock;
        this.tokens = burst;
        this.lastNanos = nanos();
    }

    /** Whole tokens available now. */
    public synchronized int available() {
        refill();
        return (int) Math.floor(tokens);
    }

    /**
     * A new rate from now on (this node's share changed); the burst follows it (one second's worth, at least 1) and
     * tokens beyond it are dropped, so a shrinking share takes effect at once.
     */
    public synchronized void setRate(double perSecond) {
        if (perSecond == ratePerSecond) return;
        refill();
        ratePerSecond = perSecond;
        burst = Math.max(1, perSecond);
        tokens = Math.min(tokens, burst);
    }

    public synchronized void take(int n) {
        refill();
        tokens -= n;
    }

    private void refill() {
        long now = nanos();
        if (now > lastNanos) {
            tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * ratePerSecond);
            lastNanos = now;
        }
    }

    private long nanos() {
        var i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
