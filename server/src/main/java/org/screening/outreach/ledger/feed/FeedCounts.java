package org.screening.outreach.ledger.feed;

/**
 * Gauges of the feed: cases with events waiting (pending), cases parked (failed), and how many ledger events the
 * slowest destination's scanner has not looked at yet (seq distance, an upper bound).
 */
public record FeedCounts(long pendingCases, long failedCases, long scanLag) {}
