package org.screening.outreach.communities;

import java.time.Instant;
import java.util.Map;

/** Where community names are kept (SQL in store/JdbcCommunityStore). */
public interface CommunityStore {
    /** Every name by division code. */
    Map<String, String> all();

    /**
     * Sets the given names and removes the codes mapped to null, all in one transaction; {@code actor} is who did it.
     */
    void save(Map<String, String> names, String actor, Instant now);
}
