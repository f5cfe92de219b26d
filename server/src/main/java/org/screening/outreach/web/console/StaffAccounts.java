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

    /** An account as the admin page lists it. */
    record Listed(StaffUser user, boolean disabled) {}

    /** Accounts whose prefix lies within {@code prefix}, by username, disabled ones included. */
    List<Listed> list(String prefix, int limit);

    /** What {@link #setDisabled} did. */
    enum Toggle { DONE, NOT_FOUND, LAST_ADMIN }

    /**
     * Disables (ending its sessions) or enables the account and records who did it. Refused with LAST_ADMIN when it
     * would leave no enabled admin account; checked under a lock, so two admins disabling each other at once cannot.
     */
    Toggle setDisabled(long accountId, boolean disabled, String actor, Instant now);

    /**
     * Replaces the password hash, ends the account's sessions except {@code keepSessionHash} (null: all) and records
     * who did it. False when there is no such account.
     */
    boolean setPassword(long accountId, String passwordHash, String keepSessionHash, String actor, Instant now);
}
