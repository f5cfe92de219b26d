package org.screening.outreach.ledger.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.screening.outreach.dispatch.BackgroundJob;
import org.screening.outreach.domain.Transfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts every transfer not acknowledged by its escalation point on the county task force list (an event on the
 * case, and GET /api/v1/transfers?escalated=true), before its hour is up. Safe on several nodes: the mark is a
 * conditional update, so each transfer is escalated once.
 */
public final class EscalateTransfersJob implements BackgroundJob {
    private static final Logger log = LoggerFactory.getLogger(EscalateTransfersJob.class);
    private final TransferStore store;
    private final Clock clock;
    private final Runnable onEscalated;

    public EscalateTransfersJob(TransferStore store, Clock clock, Runnable onEscalated) {
        this.store = store;
        this.clock = clock;
        this.onEscalated = onEscalated;
    }

    @Override
    public String name() {
        return "transfers-escalate";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(10);
    }

    @Override
    public int runOnce() {
        Instant now = Transfers.nowMillis(clock);
        int n = 0;
        for (Transfer t : store.dueForEscalation(now, 500)) {
            // Counted from when its hour began: the hand-over, or for a foreign push its arrival (see Transfers).
            long minutes = Duration.between(t.ackBy().minus(Transfer.ACK_WITHIN), now).toMinutes();
            if (store.escalate(t, now, Transfers.escalation(t, now, "not acknowledged " + minutes + " min into its hour"))) {
                log.warn("transfer {} of case {} to {} not acknowledged after {} min: escalated", t.id(), t.caseId(),
                        t.toJurisdiction(), minutes);
                onEscalated.run();
                n++;
            }
        }
        return n;
    }
}
