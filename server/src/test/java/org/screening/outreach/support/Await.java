package org.screening.outreach.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition the server reaches on its own threads; fails with the description on timeout. */
public final class Await {
    private Await() {}

    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("timed out waiting for: " + what);
            try {
                Thread.sleep(50); // polling interval, not a timing assumption
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for: " + what);
            }
        }
    }
}
