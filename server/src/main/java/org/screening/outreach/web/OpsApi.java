package org.screening.outreach.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
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
    private final AtomicReference<Future<Boolean>> checking = new AtomicReference<>();
    private Future<String> scrape; // guarded by this

    OpsApi(Database db, PrometheusMeterRegistry registry, Blocking blocking, Runnable beforeScrape) {
        this.db = db;
        this.registry = registry;
        this.blocking = blocking;
        this.beforeScrape = beforeScrape;
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
        sharedScrape().onSuccess(text -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(text)).onFailure(ctx::fail);
    }

    /**
     * The scrape under way, or a new one: the gauges' refresh is a handful of queries (the queue's backlogs, the kept
     * case counts), and while the database is away each waits out the pool's timeout on a worker the API and webhooks
     * need too. So scrapes arriving meanwhile (a second Prometheus, retries) share one instead of piling up.
     */
    private synchronized Future<String> sharedScrape() {
        if (scrape == null || scrape.isComplete()) {
            scrape = blocking.run(() -> {
                beforeScrape.run();
                return registry.scrape();
            });
        }
        return scrape;
    }
}
