package org.screening.outreach.store;

/** The database failed in a way the caller cannot fix; carries no personal data in its message. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
