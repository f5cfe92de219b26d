package org.screening.outreach.intake;

/** The file as a whole cannot be imported (unreadable, damaged, missing columns); nothing of it is stored. */
public final class CaseFileException extends Exception {
    public CaseFileException(String message) {
        super(message);
    }

    public CaseFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
