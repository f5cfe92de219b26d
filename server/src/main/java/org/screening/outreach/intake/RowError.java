package org.screening.outreach.intake;

/** Why one row was not taken, naming the row (data rows from 1) and the field. */
public record RowError(int row, String field, String message) {}
