package org.screening.outreach.dispatch;

import java.time.Clock;
import java.time.Duration;

/**
 * Gives every newly received case its SMS, first call and escalation point, most urgent first. Every node runs it:
 * cases are taken with SKIP LOCKED, so nodes plan a big push side by side (the intake node plans its push too).
 */
public final class PlanNewCasesJob implements BackgroundJob {
    private static final int BATCH = 500;
    private final AttemptQueue queue;
    private final Clock clock;

    public PlanNewCasesJob(AttemptQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "plan-new-cases";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(1);
    }

    @Override
    public int runOnce() {
        int total = 0;
        int n;
        do {
            n = queue.planNewCases(clock.instant(), BATCH);
            total += n;
        } while (n == BATCH);
        return total;
    }
}
