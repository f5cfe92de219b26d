package org.screening.outreach;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.screening.outreach.config.OutreachConfig;
import org.screening.outreach.ledger.feed.Backoff;
import org.screening.outreach.ledger.feed.DeliverLedgerEventsJob;
import org.screening.outreach.ledger.feed.DeliveryRules;
import org.screening.outreach.ledger.feed.FeedCounters;
import org.screening.outreach.ledger.feed.FeedCounts;
import org.screening.outreach.ledger.feed.FeedPayload;
import org.screening.outreach.ledger.feed.FeedSignature;
import org.screening.outreach.ledger.feed.HttpLedgerSender;
import org.screening.outreach.ledger.feed.PruneLedgerCursorsJob;
import org.screening.outreach.ledger.feed.ScanLedgerJob;
import org.screening.outreach.store.Database;
import org.screening.outreach.store.JdbcLedgerFeed;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.api.LedgerDeliveriesApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the outbound ledger feed (issue 7): its store, its two jobs, its metrics and its operators' API. The jobs
 * run where the dispatcher's jobs run (OUTREACH_DISPATCH=on); every such node takes part, claims keep them apart.
 */
final class LedgerFeeding {
    private static final Logger log = LoggerFactory.getLogger(LedgerFeeding.class);

    /** The API for the routes, and the gauges' refresh to run before each /metrics scrape. */
    record Parts(LedgerDeliveriesApi api, Runnable beforeScrape) {}

    private LedgerFeeding() {}

    static Parts start(OutreachConfig config, Database db, JobRunner jobs, Blocking blocking, MeterRegistry registry,
                       Clock clock) {
        OutreachConfig.LedgerFeed feed = config.ledgerFeed();
        JdbcLedgerFeed store = new JdbcLedgerFeed(db, feed.urls(), config.transfers().jurisdiction());
        if (feed.enabled() && config.dispatchEnabled()) {
            FeedCounters counters = new FeedCounters(registry.counter("ledger_feed_delivered")::increment,
                    registry.counter("ledger_feed_retries")::increment, registry.counter("ledger_feed_parked")::increment);
            jobs.schedule(new ScanLedgerJob(store, feed.urls(), clock));
            jobs.schedule(new DeliverLedgerEventsJob(store,
                    new HttpLedgerSender(new FeedSignature(feed.key()), feed.timeout()), new FeedPayload(config.zone()),
                    new DeliveryRules(new Backoff(() -> ThreadLocalRandom.current().nextDouble()), feed.retryHorizon()),
                    counters, clock, feed.timeout()));
            jobs.schedule(new PruneLedgerCursorsJob(store, clock));
            log.info("ledger feed to {} destination(s) started", feed.urls().size());
        }
        return new Parts(new LedgerDeliveriesApi(store, blocking, config.zone(), clock),
                feed.enabled() ? gauges(registry, store) : () -> {});
    }

    private static Runnable gauges(MeterRegistry registry, JdbcLedgerFeed store) {
        AtomicLong pending = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong lag = new AtomicLong();
        Gauge.builder("ledger_feed_cases", pending, AtomicLong::get).tag("status", "pending").register(registry);
        Gauge.builder("ledger_feed_cases", failed, AtomicLong::get).tag("status", "failed").register(registry);
        Gauge.builder("ledger_feed_scan_lag", lag, AtomicLong::get).register(registry);
        return () -> {
            try {
                FeedCounts c = store.counts();
                pending.set(c.pendingCases());
                failed.set(c.failedCases());
                lag.set(c.scanLag());
            } catch (RuntimeException e) {
                log.warn("ledger feed gauges not refreshed: {}", e.getMessage());
            }
        };
    }
}
