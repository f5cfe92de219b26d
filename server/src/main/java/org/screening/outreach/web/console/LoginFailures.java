package org.screening.outreach.web.console;

import java.time.Instant;
import java.util.List;

/**
 * Failed console logins by throttle key, in the database so that every node counts the same failures (SQL in
 * store/JdbcHitCounts). Keys arrive hashed: the table names no username and no address.
 */
public interface LoginFailures {

    /** Failures recorded under {@code keyHash} after {@code since}. */
    int count(String keyHash, Instant since);

    /** One failure under each key. */
    void add(List<String> keyHashes, Instant at);

    void clear(String keyHash);

    /** Removes failures at or before {@code cutoff}; returns how many. */
    int deleteUpTo(Instant cutoff);
}
