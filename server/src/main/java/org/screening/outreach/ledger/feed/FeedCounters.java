package org.screening.outreach.ledger.feed;

/** Counters the delivery job bumps (metrics are wired outside the feed): events sent, retries scheduled, parked. */
public record FeedCounters(Runnable delivered, Runnable retried, Runnable parked) {
    public static FeedCounters none() {
        Runnable nothing = () -> {};
        return new FeedCounters(nothing, nothing, nothing);
    }
}
