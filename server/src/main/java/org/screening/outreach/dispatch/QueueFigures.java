package org.screening.outreach.dispatch;

import java.time.Duration;
import java.time.Instant;

/**
 * What an operator alerts on (deploy/prometheus/alerts.yml): open cases already past their deadline — the failure
 * this product exists to prevent — and calls or SMS due but not yet taken by any node.
 */
public interface QueueFigures {
    /** {@code oldestDue}: how long the longest-waiting due attempt has waited (zero when none waits). */
    record Figures(long overdueCases, long dueAttempts, Duration oldestDue) {}

    Figures read(Instant now);
}
