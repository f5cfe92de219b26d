package org.screening.outreach.intake;

/** Intake stopped for a reason outside the input (database down, disk full); passes through file readers. */
public final class IntakeAbort extends RuntimeException {
    public IntakeAbort(Throwable cause) {
        super(cause.getMessage(), cause);
    }
}
