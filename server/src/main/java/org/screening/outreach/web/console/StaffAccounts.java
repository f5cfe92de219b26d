package org.screening.outreach.web.console;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.Role;

/** Staff accounts of the console (SQL in store/JdbcStaffAccounts). */
public interface StaffAccounts {

    /** An account as login needs it: the user and the stored bcrypt string. */
    record Stored(StaffUser user, String passwordHash, boolean disabled) {}

    record NewAccount(String username, String passwordHash, String displayName, Role role, String jurisdictionPrefix,
                      boolean admin) {}

    /** Thrown by {@link #create} when the username is taken (usernames are unique regardless of case). */
    final class DuplicateUsername extends RuntimeException {
        public DuplicateUsername() {
            super("username is taken");
        }
    }

    long create(NewAccount account, Instant now);

    Optional<Stored> findByUsername(String username);

    /** Accounts whose prefix lies within {@code prefix}, by username. */
    List<StaffUser> list(String prefix, int limit);
}
