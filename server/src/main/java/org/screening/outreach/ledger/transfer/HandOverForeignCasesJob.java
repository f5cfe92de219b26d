package org.screening.outreach.ledger.transfer;

import java.time.Duration;
import org.screening.outreach.dispatch.BackgroundJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pushed case whose jurisdiction lies outside this deployment (OUTREACH_JURISDICTION) is not screened here: the
 * dispatcher leaves it NEW and this job hands it to its home jurisdiction, where the hour for the receipt starts.
 * Every node may run it: the hand-over locks the case and refuses one already transferred.
 */
public final class HandOverForeignCasesJob implements BackgroundJob {
    private static final Logger log = LoggerFactory.getLogger(HandOverForeignCasesJob.class);
    private static final int BATCH = 200;
    private final TransferStore store;
    private final Transfers transfers;

    public HandOverForeignCasesJob(TransferStore store, Transfers transfers) {
        this.store = store;
        this.transfers = transfers;
    }

    @Override
    public String name() {
        return "transfers-hand-over-foreign";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(1);
    }

    @Override
    public int runOnce() {
        String own = transfers.routes().ownPrefix();
        int n = 0;
        for (String caseId : store.newCasesOutside(own, BATCH)) {
            try {
                String to = transfers.handOverForeign(caseId);
                if (to != null) n++;
            } catch (IllegalStateException e) {
                log.debug("case {} moved before it could be handed over: {}", caseId, e.getMessage());
            }
        }
        return n;
    }
}
