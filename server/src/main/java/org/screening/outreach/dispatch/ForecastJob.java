package org.screening.outreach.dispatch;

import java.time.Duration;

/** Re-runs the capacity forecast as the queue and the line change, escalating early what cannot be called. */
public final class ForecastJob implements BackgroundJob {
    private final CapacityCheck check;

    public ForecastJob(CapacityCheck check) {
        this.check = check;
    }

    @Override
    public String name() {
        return "capacity-forecast";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(30);
    }

    @Override
    public int runOnce() {
        return check.run();
    }
}
