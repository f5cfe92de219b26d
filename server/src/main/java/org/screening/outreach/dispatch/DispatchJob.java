package org.screening.outreach.dispatch;

import java.time.Duration;

/**
 * Keeps one channel busy: each run hands it as many due attempts as it has room for. Every node runs it: claims
 * (SKIP LOCKED) give each node its own share of the queue.
 */
public final class DispatchJob implements BackgroundJob {
    private final Dispatcher dispatcher;
    private final String name;

    public DispatchJob(Dispatcher dispatcher, String name) {
        this.dispatcher = dispatcher;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Duration every() {
        return Duration.ofMillis(200);
    }

    @Override
    public int runOnce() {
        return dispatcher.dispatchDue();
    }

    @Override
    public int inFlight() {
        return dispatcher.inFlight();
    }

    @Override
    public int returnClaims() {
        return dispatcher.returnUnsent();
    }
}
