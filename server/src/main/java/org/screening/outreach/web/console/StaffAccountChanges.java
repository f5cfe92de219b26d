package org.screening.outreach.web.console;

import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disabling, enabling and resetting the password of staff accounts, with one set of rules for the admin page and
 * the API: only accounts within the actor's jurisdiction; nobody disables their own account; the last enabled admin
 * account stays enabled; a new password follows the creation rules. Each change is a row in staff_account_changes
 * and a log line with account ids only. Runs bcrypt and JDBC: call it on a worker thread.
 */
public final class StaffAccountChanges {
    private static final Logger log = LoggerFactory.getLogger(StaffAccountChanges.class);
    private final StaffAccounts accounts;
    private final Passwords passwords;
    private final Clock clock;

    public StaffAccountChanges(StaffAccounts accounts, Passwords passwords, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.clock = clock;
    }

    /**
     * Who asks: their jurisdiction prefix, their own account (0 for an API token), the ledger actor name, how the log
     * names them (no username: an id) and the session to keep when they reset their own password (null: none).
     */
    public record Actor(String prefix, long accountId, String name, String logName, String keepSessionHash) {}

    public enum Kind { DONE, NOT_FOUND, OWN_ACCOUNT, LAST_ADMIN, BAD_PASSWORD }

    /** {@code problem} is set with BAD_PASSWORD. */
    public record Result(Kind kind, StaffDirectory.Problem problem) {
        static Result of(Kind kind) {
            return new Result(kind, null);
        }
    }

    public Result disable(String username, Actor by) {
        return toggle(username, true, by);
    }

    public Result enable(String username, Actor by) {
        return toggle(username, false, by);
    }

    public Result setPassword(String username, String password, Actor by) {
        Optional<StaffDirectory.Problem> problem = StaffDirectory.checkPassword(password);
        if (problem.isPresent()) return new Result(Kind.BAD_PASSWORD, problem.get());
        Optional<StaffUser> target = target(username, by);
        if (target.isEmpty()) return Result.of(Kind.NOT_FOUND);
        String keep = target.get().accountId() == by.accountId() ? by.keepSessionHash() : null;
        if (!accounts.setPassword(target.get().accountId(), passwords.hash(password), keep, by.name(), clock.instant())) {
            return Result.of(Kind.NOT_FOUND);
        }
        log.info("password of staff account {} set by {}; its other sessions ended", target.get().accountId(), by.logName());
        return Result.of(Kind.DONE);
    }

    private Result toggle(String username, boolean disable, Actor by) {
        Optional<StaffUser> target = target(username, by);
        if (target.isEmpty()) return Result.of(Kind.NOT_FOUND);
        if (disable && target.get().accountId() == by.accountId()) return Result.of(Kind.OWN_ACCOUNT);
        StaffAccounts.Toggle t = accounts.setDisabled(target.get().accountId(), disable, by.name(), clock.instant());
        if (t == StaffAccounts.Toggle.NOT_FOUND) return Result.of(Kind.NOT_FOUND);
        if (t == StaffAccounts.Toggle.LAST_ADMIN) return Result.of(Kind.LAST_ADMIN);
        log.info("staff account {} {} by {}", target.get().accountId(), disable ? "disabled" : "enabled", by.logName());
        return Result.of(Kind.DONE);
    }

    /** The account if it exists within the actor's scope; one outside it is as good as missing. */
    private Optional<StaffUser> target(String username, Actor by) {
        String u = username == null ? "" : username.strip();
        if (u.isEmpty() || u.length() > 64) return Optional.empty();
        return accounts.findByUsername(u).map(StaffAccounts.Stored::user)
                .filter(user -> user.jurisdictionPrefix().startsWith(by.prefix()));
    }
}
