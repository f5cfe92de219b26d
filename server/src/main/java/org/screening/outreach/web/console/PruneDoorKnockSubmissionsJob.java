package org.screening.outreach.web.console;

import java.time.Clock;
import java.time.Duration;
import org.screening.outreach.dispatch.BackgroundJob;

/**
 * Forgets the one-time keys of door-knock result forms once no form carrying them can still be posted: a form is
 * posted within the session it was shown in, and no session outlives {@link SessionRules#LIFETIME}. Without it the
 * table keeps one row per result recorded in the console, for ever.
 */
public final class PruneDoorKnockSubmissionsJob implements BackgroundJob {
    /** Twice the longest session: a margin for clocks of different nodes, and still a small table. */
    static final Duration KEEP = SessionRules.LIFETIME.multipliedBy(2);
    /**
     * Rows per run, in one short delete that never holds many locks: 5,000 every 2 minutes is far more results than a
     * province's staff record.
     */
    static final int BATCH = 5_000;
    private final DoorKnockSubmissions submissions;
    private final Clock clock;

    public PruneDoorKnockSubmissionsJob(DoorKnockSubmissions submissions, Clock clock) {
        this.submissions = submissions;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "door-knock-submissions-prune";
    }

    /**
     * Often, though there is rarely anything to delete (one indexed read): a node holds the lease from its first run,
     * and the alert on singleton jobs no node holds (deploy/prometheus, 5 minutes) must not fire after every start.
     */
    @Override
    public Duration every() {
        return Duration.ofMinutes(2);
    }

    /** A sweep over the whole table: a second node would only wait on the same rows' locks. */
    @Override
    public boolean singleton() {
        return true;
    }

    @Override
    public int runOnce() {
        return submissions.forgetUsedBefore(clock.instant().minus(KEEP), BATCH);
    }
}
