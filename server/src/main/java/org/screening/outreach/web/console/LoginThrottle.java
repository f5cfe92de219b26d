package org.screening.outreach.web.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Failed logins counted per username-and-address and per address, in a sliding window. Unknown usernames count
 * like known ones, so the throttle tells nothing about which accounts exist. The counts live in the database
 * ({@link LoginFailures}): with N nodes behind a load balancer a guesser still gets the limit, not N times it.
 * Every method runs SQL: call them on a worker thread.
 */
public final class LoginThrottle {
    static final int PER_USER_AND_ADDRESS = 5;
    static final int PER_ADDRESS = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private final LoginFailures failures;
    private final Clock clock;

    public LoginThrottle(LoginFailures failures, Clock clock) {
        this.failures = failures;
        this.clock = clock;
    }

    /** False while either count is at its limit: the attempt is refused without checking the password. */
    public boolean allowed(String username, String address) {
        Instant since = clock.instant().minus(WINDOW);
        return failures.count(userKey(username, address), since) < PER_USER_AND_ADDRESS
                && failures.count(addressKey(address), since) < PER_ADDRESS;
    }

    public void failed(String username, String address) {
        Instant now = clock.instant();
        // Rows only grow here, and a refused attempt adds none, so clearing out the old ones here bounds the table.
        failures.deleteUpTo(now.minus(WINDOW));
        failures.add(List.of(userKey(username, address), addressKey(address)), now);
    }

    /** A good password clears that user's count from that address (the address count stays). */
    public void succeeded(String username, String address) {
        failures.clear(userKey(username, address));
    }

    /** Hashed: the stored key names neither the username nor the address. */
    private static String userKey(String username, String address) {
        return SessionRules.hash("u:" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT)) + "|" + address);
    }

    private static String addressKey(String address) {
        return SessionRules.hash("a:" + address);
    }
}
