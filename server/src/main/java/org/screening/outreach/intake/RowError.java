package org.screening.outreach.intake;

/**
 * A problem of one row, naming the row (data rows from 1) and the field: why the row was not taken, or, as a warning,
 * what was left out of a row that was.
 */
public record RowError(int row, String field, String message) {}
