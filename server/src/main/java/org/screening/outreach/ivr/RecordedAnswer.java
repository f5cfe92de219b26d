package org.screening.outreach.ivr;

/**
 * One answer as the engine records it, for the caller to append to the case's ledger at once: {@code value} is
 * the script's value (e.g. "yes", "red", an ISO date), {@code digits} what was pressed (null for a record step).
 */
public record RecordedAnswer(String key, String value, String stepId, String digits) {}
