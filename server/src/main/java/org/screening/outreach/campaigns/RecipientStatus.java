package org.screening.outreach.campaigns;

import java.util.Optional;

/**
 * Where one campaign recipient stands. The codes are stored (TINYINT) and ordered: provider callbacks arrive late,
 * twice and out of order, so a stored status is replaced only by a higher code and never once final (≥ 10).
 */
public enum RecipientStatus {
    /** Waiting for its turn. */
    PENDING(0),
    /** Claimed by a sender node under a lease, being handed to the provider. */
    SENDING(1),
    /** The provider took it (Twilio 201 / "queued"); no word on the handset yet. */
    QUEUED(2),
    /** The provider sent it to the carrier. */
    SENT(3),
    DELIVERED(10),
    /** Undelivered or failed at the provider, or refused before sending (error code kept). */
    FAILED(11),
    /** The number is on the opt-out list: never sent. */
    OPTED_OUT(12),
    /** The campaign was cancelled before its turn. */
    CANCELLED(13);

    public static final int FIRST_FINAL = 10;

    private final int code;

    RecipientStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isFinal() {
        return code >= FIRST_FINAL;
    }

    public static Optional<RecipientStatus> of(int code) {
        for (RecipientStatus s : values()) if (s.code == code) return Optional.of(s);
        return Optional.empty();
    }
}
