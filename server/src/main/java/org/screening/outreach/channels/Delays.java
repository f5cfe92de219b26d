package org.screening.outreach.channels;

import java.time.Duration;

/** Runs something later; the server uses timers, tests run it at once or when they move their clock. */
@FunctionalInterface
public interface Delays {
    void after(Duration delay, Runnable action);
}
