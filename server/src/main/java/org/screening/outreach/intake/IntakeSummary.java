package org.screening.outreach.intake;

/** Counts of one push or import. Merged rows joined an open case of the same person; they are not new cases. */
public record IntakeSummary(long accepted, long duplicates, long merged, long rejectedRows) {}
