package org.screening.outreach.dispatch;

import java.time.Clock;
import java.time.Duration;

/** Returns attempts claimed by a node that died (lease ran out) so another node makes them. */
public final class ReapLeasesJob implements BackgroundJob {
    private final AttemptQueue queue;
    private final Clock clock;

    public ReapLeasesJob(AttemptQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "reap-leases";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(15);
    }

    /**
     * One node: a plain UPDATE over every expired lease (no SKIP LOCKED); a second node would wait on the same rows
     * only to find them returned.
     */
    @Override
    public boolean singleton() {
        return true;
    }

    @Override
    public int runOnce() {
        return queue.reapExpiredLeases(clock.instant());
    }
}
