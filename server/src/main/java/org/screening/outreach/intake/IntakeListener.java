package org.screening.outreach.intake;

/** Receives the outcome of each row as intake goes, so a million-row answer can be streamed out. */
public interface IntakeListener {
    void stored(CaseSubmission row, CaseStore.Stored stored);

    void rejected(RowError error);
}
