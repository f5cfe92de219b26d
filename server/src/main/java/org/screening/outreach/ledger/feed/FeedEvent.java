package org.screening.outreach.ledger.feed;

import java.time.Instant;
import java.util.Map;

/**
 * One ledger event as the feed sends it: the event ({@code seq} is its place in the ledger, {@code previousSeq} the
 * case's event before it, 0 if none) and the case's identity in the pushing system (source + external id), which the
 * community ledger system already holds from the push. No phone, no ID number, no name.
 */
public record FeedEvent(long seq, long previousSeq, String caseId, String source, String externalId,
                        String jurisdiction, String type, Instant at, String actor, Map<String, Object> data) {

    /** The idempotency key: stable across retries and nodes, unique across deployments (case ids are ULIDs). */
    public String eventId() {
        return eventId(caseId, seq);
    }

    public static String eventId(String caseId, long seq) {
        return caseId + "-" + seq;
    }
}
