package org.screening.outreach.web.console;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins counted per username-and-address and per address, in a sliding window. Unknown usernames count
 * like known ones, so the throttle tells nothing about which accounts exist. In memory: each server node keeps
 * its own count, which still slows a guesser to a few tries per window per node.
 */
public final class LoginThrottle {
    static final int PER_USER_AND_ADDRESS = 5;
    static final int PER_ADDRESS = 30;
    static final Duration WINDOW = Duration.ofMinutes(15);
    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    public LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** False while either count is at its limit: the attempt is refused without checking the password. */
    public boolean allowed(String username, String address) {
        long now = clock.millis();
        return count(userKey(username, address), now) < PER_USER_AND_ADDRESS && count("a:" + address, now) < PER_ADDRESS;
    }

    public void failed(String username, String address) {
        long now = clock.millis();
        if (failures.size() > 50_000) failures.entrySet().removeIf(e -> count(e.getKey(), now) == 0);
        add(userKey(username, address), now);
        add("a:" + address, now);
    }

    /** A good password clears that user's count from that address (the address count stays). */
    public void succeeded(String username, String address) {
        failures.remove(userKey(username, address));
    }

    private static String userKey(String username, String address) {
        return "u:" + (username == null ? "" : username.strip().toLowerCase(Locale.ROOT)) + "|" + address;
    }

    private void add(String key, long now) {
        Deque<Long> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            q.addLast(now);
        }
    }

    private int count(String key, long now) {
        Deque<Long> q = failures.get(key);
        if (q == null) return 0;
        synchronized (q) {
            while (!q.isEmpty() && q.peekFirst() <= now - WINDOW.toMillis()) q.pollFirst();
            return q.size();
        }
    }
}
