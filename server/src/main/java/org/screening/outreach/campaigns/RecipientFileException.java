package org.screening.outreach.campaigns;

/** The recipients file as a whole cannot be read (damaged, no phone column); the campaign is not created. */
public final class RecipientFileException extends Exception {
    public RecipientFileException(String message) {
        super(message);
    }

    public RecipientFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
