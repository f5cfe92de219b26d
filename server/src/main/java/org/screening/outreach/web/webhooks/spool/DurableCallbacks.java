package org.screening.outreach.web.webhooks.spool;

import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live path of a status-like callback: apply it now, or, when the database fails or is too slow to answer
 * before Twilio gives up, keep it in the {@link WebhookSpool} and answer as if applied; the replay job applies it
 * once the database is back. Twilio retries a webhook only as the connection overrides on its URL say ({@code #rc=},
 * {@code #rp=}; by default once, and only when no connection could be made), so an error status would lose it.
 *
 * <p>While earlier callbacks wait in the spool, new ones join the queue behind them without trying the database:
 * arrival order holds (an opt-out then an opt-in stay in that order), and during an outage each request is answered
 * at once instead of after a connection timeout.
 */
public final class DurableCallbacks {
    private static final Logger LOG = LoggerFactory.getLogger(DurableCallbacks.class);
    /**
     * How long a callback waits for the database before it is spooled: Twilio waits 15 s for an answer, and a
     * database that does not answer makes the pool wait its full connection timeout (10 s) first.
     */
    public static final Duration PATIENCE = Duration.ofSeconds(5);

    private final WebhookSpool spool;
    private final Blocking database;
    private final Blocking files;
    private final SpoolCounters counters;
    private final Duration patience;

    /** {@code files}: a pool of its own for spool writes, so they never queue behind work waiting for the database. */
    public DurableCallbacks(WebhookSpool spool, Blocking database, Blocking files, SpoolCounters counters, Duration patience) {
        this.spool = spool;
        this.database = database;
        this.files = files;
        this.counters = counters;
        this.patience = patience;
    }

    /**
     * Applies {@code work} (see {@link CallbackApplier}) or spools the callback, then runs {@code answer} (on the event
     * loop) either way. Only when the spool cannot be written either does the caller get a 503.
     */
    public void accept(RoutingContext ctx, WebhookCallback callback, Runnable work, Runnable answer) {
        if (spool.hasWaiting()) {
            spool(ctx, callback, answer, "earlier callbacks are waiting");
            return;
        }
        AtomicBoolean settled = new AtomicBoolean();
        long timer = ctx.vertx().setTimer(patience.toMillis(), id -> {
            if (settled.compareAndSet(false, true)) spool(ctx, callback, answer, "no answer from the database in " + patience);
        });
        database.run(() -> {
            work.run();
            return null;
        }).onComplete(ar -> {
            ctx.vertx().cancelTimer(timer);
            if (!settled.compareAndSet(false, true)) return; // spooled already; applying twice is harmless
            if (ar.succeeded()) {
                answer.run();
            } else {
                spool(ctx, callback, answer, Masking.redactNumbers(String.valueOf(ar.cause())));
            }
        });
    }

    /**
     * Spools the callback without trying the database: for what must be applied even though the database failed,
     * in arrival order with the callbacks around it (a call that broke off, before its status callback).
     */
    public Future<Path> keep(WebhookCallback callback) {
        return files.run(() -> spool.write(callback)).onSuccess(file -> counters.spooled().run());
    }

    private void spool(RoutingContext ctx, WebhookCallback callback, Runnable answer, String why) {
        keep(callback).onSuccess(file -> {
            LOG.warn("webhook {} spooled as {} to apply later: {}", callback.path(), file.getFileName(), why);
            answer.run();
        }).onFailure(e -> {
            // Nowhere left to keep it: say so; Twilio drops it unless its retry settings cover a 503.
            LOG.error("webhook {} neither applied ({}) nor spooled: {}", callback.path(), why,
                    Masking.redactNumbers(String.valueOf(e)));
            Replies.error(ctx, 503, "unavailable", "the callback could not be stored; try again later");
        });
    }
}
