package org.screening.outreach.ledger.feed;

import java.time.Instant;

/**
 * What a delivery run did to one claimed cursor: how far it got, and the retry state of the event it stopped at
 * ({@code attempts} 0 and no error when everything was sent). {@code parked}: give up until an operator retries.
 */
public record Settlement(long cursorId, String claimToken, long deliveredSeq, int attempts, Instant firstFailedAt,
                         String lastError, Integer lastStatus, Instant nextAttemptAt, boolean parked) {}
