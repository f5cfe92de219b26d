package org.screening.outreach.ledger.feed;

import java.time.Clock;
import java.time.Duration;
import org.screening.outreach.dispatch.BackgroundJob;

/**
 * Deletes delivery cursors that have sent their case's every event and sat idle for {@link #KEEP_IDLE}: without it a
 * million pushed cases leave a million rows per destination for ever. A pruned case's next event starts a new cursor
 * that sends only what is new (see {@link LedgerFeedStore#prune}).
 */
public final class PruneLedgerCursorsJob implements BackgroundJob {
    /** Idle deliveries stay listed ({@code status=idle}) this long after their last claim, for operators to look at. */
    public static final Duration KEEP_IDLE = Duration.ofDays(7);
    /** Rows per delete: short transactions that never hold many locks. */
    static final int BATCH = 5_000;
    /** Deletes per run: 100,000 rows per 10 minutes is far above a province's intake. */
    static final int BATCHES_PER_RUN = 20;
    private final LedgerFeedStore store;
    private final Clock clock;

    public PruneLedgerCursorsJob(LedgerFeedStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "ledger-feed-prune";
    }

    @Override
    public Duration every() {
        return Duration.ofMinutes(10);
    }

    /** A sweep over the whole table: a second node would only wait on the same rows' locks. */
    @Override
    public boolean singleton() {
        return true;
    }

    @Override
    public int runOnce() {
        int deleted = 0;
        for (int i = 0; i < BATCHES_PER_RUN; i++) {
            int n = store.prune(clock.instant().minus(KEEP_IDLE), BATCH);
            deleted += n;
            if (n < BATCH) break;
        }
        return deleted;
    }
}
