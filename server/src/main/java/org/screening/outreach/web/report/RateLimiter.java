package org.screening.outreach.web.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * At most {@code limit} hits per key in a sliding window, counted in the database ({@link RateHits}): with N nodes
 * behind a load balancer a client still gets the limit, not N times it. Two nodes counting the same key at the same
 * moment may each let one more through; a limit against floods, not an exact quota. Runs SQL: call it on a worker.
 */
final class RateLimiter {
    /** Hits are kept this long, so no window may be longer. */
    static final Duration KEPT = Duration.ofHours(1);
    private final RateHits hits;
    private final String name;
    private final int limit;
    private final Duration window;
    private final Clock clock;

    /** {@code name} keeps the keys of different limits apart in the one table. */
    RateLimiter(RateHits hits, String name, int limit, Duration window, Clock clock) {
        if (window.compareTo(KEPT) > 0) throw new IllegalArgumentException("rate limit window longer than " + KEPT);
        this.hits = hits;
        this.name = name;
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Counts a hit; false when the key is over its limit (the hit is not counted then). */
    boolean allow(String key) {
        Instant now = clock.instant();
        String hash = hash(name + ":" + key);
        if (hits.count(hash, now.minus(window)) >= limit) return false;
        // Rows only grow here, and a refused hit adds none, so clearing out the old ones here bounds the table.
        hits.deleteUpTo(now.minus(KEPT));
        hits.add(hash, now);
        return true;
    }

    /** Hashed: the stored key names neither the link token nor the address. */
    private static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }
}
