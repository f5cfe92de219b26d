package org.screening.outreach.campaigns;

import java.time.Clock;
import java.time.Duration;
import org.screening.outreach.dispatch.BackgroundJob;

/**
 * Ends the leases of campaign recipients left without word from the adapter (the sender node died mid-send, or the
 * provider's retries ran out): back to the queue of a running or paused campaign, cancelled in a cancelled one, so
 * its progress reaches 100 %. Closes running campaigns with nothing left to send — also those whose last messages
 * were reaped and sent again by another node — and removes campaigns whose import stopped mid-file.
 */
public final class CampaignLeaseJob implements BackgroundJob {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CampaignLeaseJob.class);
    /** An import writes a batch every second or so; this long without one, its node is gone. */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(3);
    private final CampaignStore store;
    private final Clock clock;

    public CampaignLeaseJob(CampaignStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "campaign-leases";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(15);
    }

    /** One node: like the attempt reaper, a plain UPDATE per campaign that another node would only repeat. */
    @Override
    public boolean singleton() {
        return true;
    }

    @Override
    public int runOnce() {
        var now = clock.instant();
        int n = 0;
        for (long id : store.abandonedImports(now.minus(ABANDONED_AFTER))) {
            // The uploader got no answer (the node died mid-file); a half-imported campaign must never start.
            store.delete(id);
            log.warn("campaign {} removed: its import stopped mid-file (node gone); upload the file again", id);
        }
        for (long id : store.withExpiredLeases(now)) {
            n += store.reapExpiredLeases(id, now);
            n += (int) store.cancelQueue(id); // only a cancelled campaign's: another's queue waits for its claims
        }
        for (Campaign c : store.running()) store.completeIfDone(c.id(), now);
        return n;
    }
}
