package org.screening.outreach.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.screening.outreach.dispatch.BackgroundJob;

/** Counts the cases by status for every node's {@code cases} gauges and keeps the count ({@link CaseCounts}). */
public final class CountCasesJob implements BackgroundJob {
    /**
     * Half of Prometheus' 30 s scrape interval (deploy/prometheus): the figures are at most one scrape behind, and
     * the count (about 150 ms of the database at a million cases) runs once per 15 s, not once per scrape and node.
     */
    static final Duration EVERY = Duration.ofSeconds(15);
    private final CaseCounts counts;
    private final Clock clock;

    public CountCasesJob(CaseCounts counts, Clock clock) {
        this.counts = counts;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "count-cases";
    }

    @Override
    public Duration every() {
        return EVERY;
    }

    /** The same count serves every node: a second counter would only repeat the pass over the table. */
    @Override
    public boolean singleton() {
        return true;
    }

    /** One count; its time is taken before it, so the figures' age never looks younger than they are. */
    @Override
    public int runOnce() {
        Instant at = clock.instant();
        counts.save(new CaseCounts.Counted(counts.countNow(), at));
        return 1;
    }
}
