package org.screening.outreach.ledger.feed;

import java.time.Instant;

/**
 * A case's delivery to one destination as operators see it: the event it waits on ({@code headSeq}, 0 when
 * nothing waits), how many events wait in all, and the retry state. {@code status}: PENDING, IDLE or FAILED.
 */
public record Delivery(long id, String destination, String caseId, String status, long headSeq, String headType,
                       long waitingEvents, int attempts, String lastError, Integer lastStatus, Instant firstFailedAt,
                       Instant nextAttemptAt) {

    public String eventId() {
        return headSeq == 0 ? null : FeedEvent.eventId(caseId, headSeq);
    }
}
