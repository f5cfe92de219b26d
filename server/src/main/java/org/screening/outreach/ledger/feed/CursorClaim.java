package org.screening.outreach.ledger.feed;

import java.time.Instant;
import java.util.List;

/**
 * A case's delivery cursor for one destination, claimed under a lease: the events to send next in seq order (all
 * after {@code deliveredSeq}), and the retry state of the first of them. Only {@code claimToken} may settle it.
 */
public record CursorClaim(long id, String claimToken, String destination, String caseId, long deliveredSeq,
                          int attempts, Instant firstFailedAt, List<FeedEvent> events) {}
