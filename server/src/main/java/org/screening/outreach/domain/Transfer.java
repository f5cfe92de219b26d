package org.screening.outreach.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * A person handed from one jurisdiction to the one they belong to (Sichuan notice §3: pushed there within 1 hour,
 * receipt confirmed). OUT: we handed {@code caseId} to the peer for {@code peerPrefix}; IN: a peer handed someone to
 * us and {@code caseId} is the case we opened. The receiver's acknowledgement is due by {@code ackBy}; one not in by
 * {@code escalateAt} goes to the county task force while there is still time to chase it by phone.
 */
public record Transfer(String id, Direction direction, String caseId, String peerPrefix, String toJurisdiction,
                       String reason, Status status, Instant createdAt, Instant ackBy, Instant escalateAt,
                       Instant ackedAt, Instant escalatedAt, int attempts, String lastError, String peerCaseId) {

    /** The receipt window of the seeds. */
    public static final Duration ACK_WITHIN = Duration.ofHours(1);

    public enum Direction { OUT, IN }

    public enum Status {
        /** OUT: not yet taken by the peer. */
        SENDING,
        /** OUT: the peer took the request; its acknowledgement is awaited. */
        DELIVERED,
        ACKNOWLEDGED,
        /** OUT: the peer refused the request (4xx); a person for the task force. */
        REFUSED,
        /** OUT: no peer endpoint is configured for the jurisdiction; a person for the task force. */
        NO_PEER,
        /** IN: our acknowledgement has not reached the sender yet. */
        ACK_PENDING,
        ACK_SENT,
        ACK_FAILED
    }

    public boolean acknowledged() {
        return ackedAt != null;
    }

    public boolean escalated() {
        return escalatedAt != null;
    }

    /** A 2–12 digit code padded with zeros to 12: in the statistical codes that is the level itself (510100000000 = 成都市). */
    public static String fullCode(String prefix) {
        return (prefix + "000000000000").substring(0, 12);
    }
}
