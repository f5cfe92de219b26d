package org.screening.outreach.sms;

import java.time.Instant;

/**
 * The latest provider status of each SMS attempt, as provider wire names (e.g. Twilio's "sent", "delivered").
 * The order of statuses is the provider's business (the caller decides what supersedes what); this store only
 * guarantees that a replacement happens against the status the caller saw, so concurrent callbacks of one
 * message cannot move it backwards.
 */
public interface SmsStatuses {

    /** Whether {@code attemptId} is an SMS attempt we made, and its stored status (null: none yet). */
    record Current(boolean attemptExists, String status) {
        public static final Current NO_ATTEMPT = new Current(false, null);
    }

    Current current(long attemptId);

    /**
     * Stores {@code status} if the stored one is still {@code expected} (null: no row yet); false when another
     * callback got there first, so the caller reads again and decides again.
     */
    boolean replace(long attemptId, String expected, String messageSid, String status, String errorCode, Instant now);
}
