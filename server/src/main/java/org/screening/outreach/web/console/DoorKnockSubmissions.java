package org.screening.outreach.web.console;

import java.time.Instant;

/** The one-time keys of door-knock result forms already used (a second post of one form records nothing). */
public interface DoorKnockSubmissions {

    /** Forgets up to {@code limit} keys used before {@code before}; how many. */
    int forgetUsedBefore(Instant before, int limit);
}
