package org.screening.outreach.intake;

/**
 * One pushed row as received, all text, before validation. {@code row} counts data rows from 1; {@code language}
 * is empty when the push has none (the case is then contacted in zh-CN).
 */
public record CaseSubmission(int row, String externalId, String name, String phone, String idNumber,
                             String category, String jurisdiction, String pushedAt, String language) {

    /** A row without a language. */
    public CaseSubmission(int row, String externalId, String name, String phone, String idNumber, String category,
                          String jurisdiction, String pushedAt) {
        this(row, externalId, name, phone, idNumber, category, jurisdiction, pushedAt, "");
    }
}
