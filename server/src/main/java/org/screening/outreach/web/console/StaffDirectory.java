package org.screening.outreach.web.console;

import java.time.Clock;
import java.util.Optional;
import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.domain.Role;

/**
 * Creating staff accounts, with one set of rules for the API ({@code POST /api/v1/staff}) and the admin page.
 * Runs bcrypt: call it on a worker thread.
 */
public final class StaffDirectory {
    private final StaffAccounts accounts;
    private final Passwords passwords;
    private final Clock clock;

    public StaffDirectory(StaffAccounts accounts, Passwords passwords, Clock clock) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.clock = clock;
    }

    /** What someone asked for; {@code role} and {@code prefix} as typed. */
    public record Request(String username, String password, String displayName, String role, String prefix,
                          boolean admin) {}

    /** Why a request was refused: {@code code} keys the console's message, {@code message} is the API's English. */
    public record Problem(String field, String code, String message) {}

    public sealed interface Outcome permits Created, Refused, OutsideScope, Duplicate {}

    public record Created(long id, StaffUser user) implements Outcome {}

    public record Refused(Problem problem) implements Outcome {}

    public record OutsideScope() implements Outcome {}

    public record Duplicate() implements Outcome {}

    /** The first rule a request breaks, if any (cheap; no database). */
    public static Optional<Problem> check(Request r) {
        String u = r.username() == null ? "" : r.username().strip();
        if (u.length() < 2 || u.length() > 64 || !u.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || "._-@".indexOf(ch) >= 0)) {
            return Optional.of(new Problem("username", "staff.err.username",
                    "username must be 2 to 64 letters, digits or . _ - @"));
        }
        Optional<Problem> password = checkPassword(r.password());
        if (password.isPresent()) return password;
        String d = r.displayName() == null ? "" : r.displayName().strip();
        if (d.isEmpty() || d.length() > 100) {
            return Optional.of(new Problem("displayName", "staff.err.displayName", "displayName is required (up to 100 characters)"));
        }
        if (Role.parse(r.role()).isEmpty()) {
            return Optional.of(new Problem("role", "staff.err.role", "role must be province, city, county, community or staff"));
        }
        // A whole level, as for API tokens: "510" meant as Chengdu (5101) would cover every 510x city.
        if (r.prefix() == null || !Jurisdiction.isLevelPrefix(r.prefix().strip())) {
            return Optional.of(new Problem("jurisdictionPrefix", "staff.err.prefix",
                    "jurisdictionPrefix must be a whole division code: 2 (province), 4 (city), 6 (county), 9 (township) "
                            + "or 12 (community) digits"));
        }
        return Optional.empty();
    }

    /** The strength rules of a new password, for a new account and a reset alike. */
    public static Optional<Problem> checkPassword(String password) {
        String p = password == null ? "" : password;
        if (p.codePointCount(0, p.length()) < Passwords.MIN_LENGTH) {
            return Optional.of(new Problem("password", "staff.err.passwordShort",
                    "password must have at least " + Passwords.MIN_LENGTH + " characters"));
        }
        if (Passwords.tooLong(p)) {
            return Optional.of(new Problem("password", "staff.err.passwordLong",
                    "password must be at most " + Passwords.MAX_BYTES + " bytes"));
        }
        return Optional.empty();
    }

    /**
     * Creates the account if the rules allow and it reaches no further than its creator: its prefix within
     * {@code creatorPrefix}, its role no wider than {@code creatorRole} (a county admin must not make a province
     * account, which may text the whole province).
     */
    public Outcome create(Request r, Role creatorRole, String creatorPrefix) {
        Optional<Problem> problem = check(r);
        if (problem.isPresent()) return new Refused(problem.get());
        String prefix = r.prefix().strip();
        Role role = Role.parse(r.role()).orElseThrow();
        if (!prefix.startsWith(creatorPrefix) || !role.within(creatorRole)) return new OutsideScope();
        String username = r.username().strip();
        String display = r.displayName().strip();
        try {
            long id = accounts.create(new StaffAccounts.NewAccount(username, passwords.hash(r.password()), display, role,
                    prefix, r.admin()), clock.instant());
            return new Created(id, new StaffUser(id, username, display, role, prefix, r.admin()));
        } catch (StaffAccounts.DuplicateUsername e) {
            return new Duplicate();
        }
    }
}
