package org.screening.outreach.ledger.feed;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Wait before the next try of a failed event: 10 s doubling per attempt up to 15 min, drawn at random from the
 * upper half of that window (jitter), so cases parked by the same outage do not all come back in one burst.
 */
public final class Backoff {
    static final Duration FIRST = Duration.ofSeconds(10);
    static final Duration LONGEST = Duration.ofMinutes(15);
    private final DoubleSupplier random;

    /** {@code random}: uniform in [0, 1); tests pass a fixed value. */
    public Backoff(DoubleSupplier random) {
        this.random = random;
    }

    /** After the {@code attempts}-th failed try (1 = the first). */
    public Duration after(int attempts) {
        long ceiling = FIRST.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
        ceiling = Math.min(ceiling, LONGEST.toMillis());
        return Duration.ofMillis(ceiling / 2 + (long) (random.getAsDouble() * (ceiling / 2)));
    }

    /** The longest {@link #after} can be: what a test moves the clock by to make any retry due. */
    public static Duration longest() {
        return LONGEST;
    }
}
