package org.screening.outreach.sms;

import java.time.Instant;

/**
 * Numbers (E.164) that asked for no more SMS. Campaigns skip them; for a case, the dispatcher skips the SMS and
 * moves on to calls / door knock (the screening duty stays, only the channel changes).
 */
public interface OptOuts {
    /** Where an opt-out came from, kept with the row so support can answer "why do I get nothing". */
    String SOURCE_SMS_KEYWORD = "sms_keyword";

    /**
     * Puts the number on the list as of {@code at} (again: the later time and its source are kept); nothing when the
     * number opted in after {@code at} (a keyword applied late must not undo a newer one).
     */
    void optOut(String e164, String source, Instant at);

    default void optOut(String e164, Instant at) {
        optOut(e164, SOURCE_SMS_KEYWORD, at);
    }

    /** Takes the number off the list unless it opted out after {@code at}; false when nothing was removed. */
    boolean optIn(String e164, Instant at);

    boolean isOptedOut(String e164);
}
