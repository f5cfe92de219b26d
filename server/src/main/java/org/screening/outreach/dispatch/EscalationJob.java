package org.screening.outreach.dispatch;

import java.time.Clock;
import java.time.Duration;

/**
 * Hands every case not reached by its escalation point to a door-knock team, before the deadline passes. Every node
 * runs it: cases are taken with SKIP LOCKED, and a door knock due now must not wait for a dead node's lease to lapse.
 */
public final class EscalationJob implements BackgroundJob {
    private static final int BATCH = 500;
    private final AttemptQueue queue;
    private final Clock clock;

    public EscalationJob(AttemptQueue queue, Clock clock) {
        this.queue = queue;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "escalate";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(5);
    }

    @Override
    public int runOnce() {
        int total = 0;
        int n;
        do {
            n = queue.escalateDue(clock.instant(), BATCH);
            total += n;
        } while (n == BATCH);
        return total;
    }
}
