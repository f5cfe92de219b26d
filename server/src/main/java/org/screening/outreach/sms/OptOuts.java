package org.screening.outreach.sms;

import java.time.Instant;

/**
 * Numbers (E.164) that asked for no more SMS. Campaigns skip them; for a case, the dispatcher skips the SMS and
 * moves on to calls / door knock (the screening duty stays, only the channel changes).
 */
public interface OptOuts {
    /** Where an opt-out came from, kept with the row so support can answer "why do I get nothing". */
    String SOURCE_SMS_KEYWORD = "sms_keyword";

    /** Puts the number on the list (again: refreshes time and source). */
    void optOut(String e164, String source, Instant now);

    default void optOut(String e164, Instant now) {
        optOut(e164, SOURCE_SMS_KEYWORD, now);
    }

    /** Takes the number off the list; false when it was not on it. */
    boolean optIn(String e164);

    boolean isOptedOut(String e164);
}
