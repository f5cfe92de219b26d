package org.screening.outreach.dispatch;

import java.time.Duration;

/** A periodic piece of dispatcher work; each run is short and safe to repeat on any node. */
public interface BackgroundJob {
    String name();

    Duration every();

    /** One run; returns how many items it handled (for logs and tests). */
    int runOnce();
}
