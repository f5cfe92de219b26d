package org.screening.outreach;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.Map;
import org.screening.outreach.store.Database;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.webhooks.spool.CallbackApplier;
import org.screening.outreach.web.webhooks.spool.DurableCallbacks;
import org.screening.outreach.web.webhooks.spool.ReplaySpooledCallbacksJob;
import org.screening.outreach.web.webhooks.spool.SpoolCounters;
import org.screening.outreach.privacy.IdNumberCipher;
import org.screening.outreach.web.webhooks.spool.WebhookSpool;

/**
 * Wires the webhook spool (issue 8 item 3): Twilio status and inbound callbacks that arrive while the database is
 * unavailable are kept under {@code <data dir>/spool/webhooks/} and applied by a job once it is back. The job runs on
 * every node, dispatching or not: each node spools to its own disk. Metrics: {@code webhook_spool_spooled_total},
 * {@code webhook_spool_replayed_total}, {@code webhook_spool_failed_total} (set aside in {@code failed/}) and the
 * gauge {@code webhook_spool_waiting}.
 */
final class WebhookSpooling {
    /** The webhooks' side; {@link #replay} once the webhooks exist. */
    record Parts(WebhookSpool spool, DurableCallbacks callbacks, SpoolCounters counters) {
        /** Schedules the replay job over the webhooks that spool, by path. */
        void replay(JobRunner jobs, Database db, Map<String, CallbackApplier> byPath) {
            jobs.schedule(new ReplaySpooledCallbacksJob(spool, byPath, db::isReachable, counters));
        }
    }

    private WebhookSpooling() {}

    /** {@code personalData}: the key spooled callbacks (phone numbers) are sealed with on disk. */
    static Parts start(Path dataDir, Vertx vertx, Blocking database, MeterRegistry registry, IdNumberCipher personalData) {
        WebhookSpool spool = new WebhookSpool(dataDir.resolve("spool").resolve("webhooks"), new WebhookSpool.Sealing() {
            @Override
            public String seal(String text) {
                return personalData.seal(text);
            }

            @Override
            public String open(String sealed) {
                return personalData.open(sealed);
            }
        });
        SpoolCounters counters = new SpoolCounters(registry.counter("webhook_spool_spooled")::increment,
                registry.counter("webhook_spool_replayed")::increment, registry.counter("webhook_spool_failed")::increment);
        Gauge.builder("webhook_spool_waiting", spool, WebhookSpool::waitingCount)
                .description("webhook callbacks spooled on this node's disk, waiting for the database").register(registry);
        // Spool writes get threads of their own: the database pool may be full of work waiting for a dead server.
        Blocking files = new Blocking(vertx.createSharedWorkerExecutor("outreach-spool", 2));
        return new Parts(spool, new DurableCallbacks(spool, database, files, counters, DurableCallbacks.PATIENCE), counters);
    }
}
