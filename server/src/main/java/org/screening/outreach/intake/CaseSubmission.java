package org.screening.outreach.intake;

/** One pushed row as received, all text, before validation. {@code row} counts data rows from 1. */
public record CaseSubmission(int row, String externalId, String name, String phone, String idNumber,
                             String category, String jurisdiction, String pushedAt) {}
