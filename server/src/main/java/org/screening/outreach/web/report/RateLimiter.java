package org.screening.outreach.web.report;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/** At most {@code limit} hits per key in a sliding window; keys that went quiet are dropped as they are seen. */
final class RateLimiter {
    private final int limit;
    private final long windowMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Long>> hits = new ConcurrentHashMap<>();

    RateLimiter(int limit, Duration window, Clock clock) {
        this.limit = limit;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Counts a hit; false when the key is over its limit (the hit is not counted then). */
    boolean allow(String key) {
        long now = clock.millis();
        if (hits.size() > 100_000) hits.entrySet().removeIf(e -> e.getValue().isEmpty() || e.getValue().peekLast() < now - windowMillis);
        Deque<Long> q = hits.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            while (!q.isEmpty() && q.peekFirst() <= now - windowMillis) q.pollFirst();
            if (q.size() >= limit) return false;
            q.addLast(now);
            return true;
        }
    }
}
