package org.screening.outreach.campaigns;

import java.time.Clock;
import java.time.Duration;
import org.screening.outreach.dispatch.BackgroundJob;

/**
 * Keeps the recipient counts the campaigns list shows ({@link CampaignStore#recount}): those of running and paused
 * campaigns, and of ended ones until their last figures are kept (receipts still coming). The list itself counts
 * nothing, so its cost no longer grows with the campaigns' size or with how often it is viewed.
 */
public final class CampaignCountsJob implements BackgroundJob {
    /** How stale the list's figures get at most (plus one count); a campaign's own view counts live. */
    static final Duration EVERY = Duration.ofSeconds(30);
    private final CampaignStore store;
    private final Clock clock;

    public CampaignCountsJob(CampaignStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "campaign-counts";
    }

    @Override
    public Duration every() {
        return EVERY;
    }

    /** One node counts for all: a second would only repeat the counts (its figures could not add to them). */
    @Override
    public boolean singleton() {
        return true;
    }

    /** Each campaign's time is taken before its count, so its figures never look younger than they are. */
    @Override
    public int runOnce() {
        int n = 0;
        for (long id : store.countsDue()) {
            if (store.recount(id, clock.instant())) n++;
        }
        return n;
    }
}
