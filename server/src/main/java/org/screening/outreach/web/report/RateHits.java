package org.screening.outreach.web.report;

import java.time.Instant;

/**
 * Requests counted against rate limits, by hashed key, in the database so that every node counts the same
 * requests (SQL in store/JdbcHitCounts).
 */
public interface RateHits {
    /** Hits under {@code keyHash} after {@code since}. */
    int count(String keyHash, Instant since);

    void add(String keyHash, Instant at);

    /** Removes hits at or before {@code cutoff}; how many. */
    int deleteUpTo(Instant cutoff);
}
