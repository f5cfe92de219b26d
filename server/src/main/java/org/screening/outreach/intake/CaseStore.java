package org.screening.outreach.intake;

import java.time.Instant;
import java.util.List;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.RiskCase;

/** Where intake puts validated cases; implemented in {@code store/}. */
public interface CaseStore {

    enum Outcome { CREATED, DUPLICATE, MERGED }

    /** What became of one candidate: the case it is now part of, and that case's status. */
    record Stored(String caseId, CaseStatus status, Outcome outcome) {}

    /**
     * Stores one batch of one source atomically and idempotently; the answer has one entry per candidate, in order.
     * Same (source, externalId) already known → DUPLICATE; same phone + jurisdiction open in another case → MERGED
     * with a provenance event; otherwise CREATED with a RECEIVED event.
     */
    List<Stored> store(String source, List<RiskCase> candidates, Instant now, String actor);
}
