package org.screening.outreach.dispatch;

import java.time.Instant;

/** Which dispatching nodes are alive (SQL in store/JdbcNodePresence). */
public interface NodePresence {
    /** Records that {@code node} dispatches as of {@code now}; returns how many nodes were seen since {@code since}. */
    int beat(String node, Instant now, Instant since);

    /** A node leaving on a graceful stop: the others take its share at once. */
    void leave(String node);
}
