package org.screening.outreach.intake;

/**
 * Counts of one push or import. Merged rows joined an open case of the same person; they are not new cases.
 * {@code underControl} of the accepted were closed at once as duplicates of someone already reported or under
 * control; {@code controlListed} rows were control-list entries (no case).
 */
public record IntakeSummary(long accepted, long duplicates, long merged, long rejectedRows, long underControl,
                            long controlListed) {}
