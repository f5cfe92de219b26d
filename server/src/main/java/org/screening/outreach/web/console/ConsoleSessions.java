package org.screening.outreach.web.console;

import java.time.Instant;
import java.util.Optional;

/** Server-side console sessions, keyed by the SHA-256 of the cookie value (SQL in store/JdbcConsoleSessions). */
public interface ConsoleSessions {

    record Session(StaffUser user, String csrfToken, Instant lastSeenAt, Instant expiresAt) {}

    void create(String idHash, long accountId, String csrfToken, Instant now, Instant expiresAt);

    /** The live session of an enabled account, or empty (unknown, expired or the account disabled). */
    Optional<Session> find(String idHash, Instant now);

    void touch(String idHash, Instant now);

    void delete(String idHash);

    /** Removes expired sessions; returns how many. */
    int deleteExpired(Instant now);
}
