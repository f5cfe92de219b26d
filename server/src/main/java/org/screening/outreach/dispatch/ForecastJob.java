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

    /**
     * One node: each run reads the whole waiting queue (up to 500,000 rows); its escalations apply once, so more
     * nodes would only add load.
     */
    @Override
    public boolean singleton() {
        return true;
    }

    @Override
    public int runOnce() {
        return check.run();
    }
}
