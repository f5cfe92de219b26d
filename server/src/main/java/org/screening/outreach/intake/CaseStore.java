package org.screening.outreach.intake;

import java.time.Instant;
import java.util.List;
import org.screening.outreach.domain.CaseStatus;

/** Where intake puts validated cases; implemented in {@code store/}. */
public interface CaseStore {

    /**
     * DUPLICATE_UNDER_CONTROL: created, and closed at once because it matched someone already reported or under
     * control ({@code duplicateOf} names the case, or the control-list entry, it matched). CONTROL_LISTED: a
     * control-list row recorded (its entry id, status UNDER_CONTROL); no case.
     */
    /** ID_TAKEN: the source already gave this external id to another person (another phone or community). */
    enum Outcome { CREATED, DUPLICATE, MERGED, DUPLICATE_UNDER_CONTROL, CONTROL_LISTED, ID_TAKEN }

    /** What became of one candidate: the case it is now part of, and that case's status. */
    record Stored(String caseId, CaseStatus status, Outcome outcome, String duplicateOf) {
        public Stored(String caseId, CaseStatus status, Outcome outcome) {
            this(caseId, status, outcome, null);
        }
    }

    /**
     * Stores one batch of one source atomically and idempotently; the answer has one entry per candidate, in order.
     * Same (source, externalId) already known → DUPLICATE; same phone + jurisdiction open in another case → MERGED
     * with a provenance event; someone already known (domain ControlMatch) → DUPLICATE_UNDER_CONTROL; otherwise
     * CREATED with a RECEIVED event. Control-list rows → CONTROL_LISTED, or DUPLICATE when sent before.
     */
    List<Stored> store(String source, List<Candidate> candidates, Instant now, String actor);
}
