package org.screening.outreach.ledger.feed;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.screening.outreach.dispatch.BackgroundJob;

/**
 * Moves each destination's watermark over new ledger events and marks their cases as having something to send
 * (see {@link WatermarkWalk}). One node scans a destination at a time (its watermark row is locked, others skip),
 * so every node runs the job: no lease needed, and no lease to wait out when that node dies.
 */
public final class ScanLedgerJob implements BackgroundJob {
    /** How long a gap in seq is given before it is probed: far longer than a seq takes from allocation to row. */
    public static final Duration GAP_GRACE = Duration.ofSeconds(5);
    static final int BATCH = 2000;
    /** Batches per destination and run: a backlog (a big push, a new destination) drains without hogging a worker. */
    static final int BATCHES_PER_RUN = 25;
    private final LedgerFeedStore store;
    private final List<String> destinations;
    private final Clock clock;

    public ScanLedgerJob(LedgerFeedStore store, List<String> destinations, Clock clock) {
        this.store = store;
        this.destinations = List.copyOf(destinations);
        this.clock = clock;
    }

    @Override
    public String name() {
        return "ledger-feed-scan";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(1);
    }

    @Override
    public int runOnce() {
        int passed = 0;
        for (String d : destinations) {
            for (int i = 0; i < BATCHES_PER_RUN; i++) {
                int n = store.scan(d, clock.instant(), GAP_GRACE, BATCH);
                passed += n;
                if (n < BATCH) break;
            }
        }
        return passed;
    }
}
