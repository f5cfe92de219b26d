package org.screening.outreach.intake;

/** Receives the outcome of each row as intake goes, so a million-row answer can be streamed out. */
public interface IntakeListener {
    void stored(CaseSubmission row, CaseStore.Stored stored);

    void rejected(RowError error);

    /**
     * Something left out of a row that did not keep the row out (an unreadable push time); the row is reported by
     * {@link #stored} or {@link #rejected} as well. Ignored unless the listener shows it.
     */
    default void warned(RowError warning) {
    }
}
