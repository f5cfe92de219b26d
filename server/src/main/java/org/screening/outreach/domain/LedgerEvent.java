package org.screening.outreach.domain;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** One append-only line of a case's ledger (台账). {@code data} holds only strings, numbers and booleans. */
public record LedgerEvent(String caseId, String type, Instant at, String actor, Map<String, Object> data) {
    public LedgerEvent {
        Objects.requireNonNull(caseId, "caseId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        data = Map.copyOf(data);
    }

    public static final String RECEIVED = "RECEIVED";
    /** The same person pushed again by another source while the case is open (provenance, no second case). */
    public static final String MERGED = "MERGED";
    public static final String STATUS_CHANGED = "STATUS_CHANGED";
    public static final String SELF_REPORT = "SELF_REPORT";
    /** Another system reported a control measure or a verification (POST /api/v1/cases/{id}/results). */
    public static final String RESULT_REPORTED = "RESULT_REPORTED";
    /** A new case matched someone already reported or under control; data points at them ({@link ControlMatch}). */
    public static final String DUPLICATE_UNDER_CONTROL = "DUPLICATE_UNDER_CONTROL";
}
