package org.screening.outreach;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.screening.outreach.config.OutreachConfig;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.ledger.feed.Backoff;
import org.screening.outreach.ledger.feed.FeedSignature;
import org.screening.outreach.ledger.feed.HttpLedgerSender;
import org.screening.outreach.ledger.transfer.DeliverTransfersJob;
import org.screening.outreach.ledger.transfer.EscalateTransfersJob;
import org.screening.outreach.ledger.transfer.HandOverForeignCasesJob;
import org.screening.outreach.ledger.transfer.TransferIntake;
import org.screening.outreach.ledger.transfer.TransferRoutes;
import org.screening.outreach.ledger.transfer.TransferStore;
import org.screening.outreach.ledger.transfer.Transfers;
import org.screening.outreach.store.Database;
import org.screening.outreach.store.JdbcTransfers;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.api.TransfersApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires transfers to the home jurisdiction (issue 7 item 3): routes from config, the store, the two jobs (send,
 * escalate), metrics and the API. The jobs run where the dispatcher's run (OUTREACH_DISPATCH=on).
 */
final class Transferring {
    private static final Logger log = LoggerFactory.getLogger(Transferring.class);

    record Parts(Transfers transfers, TransfersApi api, Runnable beforeScrape) {}

    private Transferring() {}

    static Parts start(OutreachConfig config, Database db, JobRunner jobs, Blocking blocking, MeterRegistry registry,
                       CaseLedger ledger, IntakeService intake, Clock clock) {
        OutreachConfig.Transfers settings = config.transfers();
        TransferRoutes routes = new TransferRoutes(settings.jurisdiction(), settings.peers().stream()
                .map(p -> new TransferRoutes.Peer(p.prefix(), p.baseUrl(), p.key())).toList());
        JdbcTransfers store = new JdbcTransfers(db, routes.ownPrefix());
        Runnable escalated = registry.counter("transfers_escalated")::increment;
        Transfers transfers = new Transfers(store, routes, settings.escalateAfter(), clock, escalated);
        if (config.dispatchEnabled()) {
            jobs.schedule(new DeliverTransfersJob(store, ledger, routes,
                    peer -> new HttpLedgerSender(new FeedSignature(peer.key()), settings.timeout(),
                            Map.of(TransfersApi.PEER_HEADER, routes.ownPrefix())),
                    new Backoff(() -> ThreadLocalRandom.current().nextDouble()), clock, settings.timeout(), escalated));
            jobs.schedule(new EscalateTransfersJob(store, clock, escalated));
            // The dispatcher plans only cases of OUTREACH_JURISDICTION; the others are handed over.
            if (!routes.ownPrefix().isEmpty()) jobs.schedule(new HandOverForeignCasesJob(store, transfers));
            if (routes.enabled()) log.info("transfers as {} to {} peer(s)", routes.ownPrefix(), settings.peers().size());
        }
        return new Parts(transfers, new TransfersApi(transfers, new TransferIntake(intake, store, routes, clock), store, ledger,
                blocking, config.zone()), gauges(registry, store));
    }

    /** {@code transfers_awaiting_ack} and {@code transfers_escalated_unacknowledged}, read before each scrape. */
    private static Runnable gauges(MeterRegistry registry, TransferStore store) {
        AtomicLong awaiting = new AtomicLong();
        AtomicLong escalated = new AtomicLong();
        Gauge.builder("transfers_awaiting_ack", awaiting, AtomicLong::get).register(registry);
        Gauge.builder("transfers_escalated_unacknowledged", escalated, AtomicLong::get).register(registry);
        return () -> {
            try {
                TransferStore.Counts c = store.counts();
                awaiting.set(c.awaitingAck());
                escalated.set(c.escalatedUnacknowledged());
            } catch (RuntimeException e) {
                log.warn("transfer gauges not refreshed: {}", e.getMessage());
            }
        };
    }
}
