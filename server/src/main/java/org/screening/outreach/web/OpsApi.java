package org.screening.outreach.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.screening.outreach.store.Database;

/**
 * {@code GET /health} (200 UP when the database answers, 503 DOWN when it does not or not within 2 s) and
 * {@code GET /metrics} (Prometheus text).
 */
final class OpsApi {
    private final Database db;
    private final PrometheusMeterRegistry registry;
    private final Blocking blocking;
    private final Runnable beforeScrape;
    /** Well inside a balancer's check timeout (HAProxy: 5 s here). */
    static final Duration HEALTH_BUDGET = Duration.ofSeconds(2);
    /**
     * How long a scrape waits for the database gauges' refresh before it answers with the figures of the last one:
     * with the database away each of the refresh's queries waits out the pool's 10 s timeout, past Prometheus' 10 s
     * scrape timeout, and every node would look down (alert OutreachNoNodeUp) while they are up and spooling.
     */
    static final Duration REFRESH_BUDGET = Duration.ofSeconds(2);
    private final AtomicReference<Future<Boolean>> checking = new AtomicReference<>();
    private final Duration refreshBudget;
    private Future<Void> refresh; // guarded by this
    private Future<String> scrape; // guarded by this

    OpsApi(Database db, PrometheusMeterRegistry registry, Blocking blocking, Runnable beforeScrape) {
        this(db, registry, blocking, beforeScrape, REFRESH_BUDGET);
    }

    OpsApi(Database db, PrometheusMeterRegistry registry, Blocking blocking, Runnable beforeScrape,
           Duration refreshBudget) {
        this.db = db;
        this.registry = registry;
        this.blocking = blocking;
        this.beforeScrape = beforeScrape;
        this.refreshBudget = refreshBudget;
    }

    /**
     * Answers within {@link #HEALTH_BUDGET} whatever the database does: a database that is down holds a connection
     * request for the pool's 10 s timeout, and a balancer whose check times out takes the node out of service, so
     * it would refuse the provider callbacks this node could spool. One check of the database runs at a time; the
     * requests arriving meanwhile share its answer.
     */
    void health(RoutingContext ctx) {
        Future<Boolean> check = checking.updateAndGet(f -> f != null && !f.isComplete() ? f : blocking.run(db::isReachable));
        AtomicBoolean answered = new AtomicBoolean();
        long timer = ctx.vertx().setTimer(HEALTH_BUDGET.toMillis(), t -> {
            if (answered.compareAndSet(false, true)) answerHealth(ctx, false);
        });
        check.onComplete(ar -> {
            ctx.vertx().cancelTimer(timer);
            if (answered.compareAndSet(false, true)) answerHealth(ctx, ar.succeeded() && ar.result());
        });
    }

    private static void answerHealth(RoutingContext ctx, boolean up) {
        Replies.json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN")
                .put("database", up ? "UP" : "DOWN"));
    }

    void metrics(RoutingContext ctx) {
        sharedScrape(ctx.vertx()).onSuccess(text -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text)).onFailure(ctx::fail);
    }

    /**
     * The scrape under way, or a new one. Its database gauges are refreshed first, by one refresh at a time: while
     * the database is slow or away each query waits out the pool's timeout on a worker the API and webhooks need
     * too, so scrapes arriving meanwhile (a second Prometheus, retries) join the refresh under way instead of piling
     * up. A scrape waits for it at most {@link #refreshBudget}, then answers with the last figures; the metrics text
     * is written on Vert.x's own worker pool, which the database waits do not hold.
     */
    private synchronized Future<String> sharedScrape(Vertx vertx) {
        if (scrape != null && !scrape.isComplete()) return scrape;
        if (refresh == null || refresh.isComplete()) {
            refresh = blocking.run(() -> {
                beforeScrape.run();
                return null;
            });
        }
        Promise<Void> ready = Promise.promise();
        long timer = vertx.setTimer(refreshBudget.toMillis(), t -> ready.tryComplete());
        refresh.onComplete(ar -> {
            vertx.cancelTimer(timer);
            ready.tryComplete();
        });
        scrape = ready.future().compose(v -> vertx.executeBlocking(registry::scrape));
        return scrape;
    }
}
