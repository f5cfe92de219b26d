package org.screening.outreach.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.screening.outreach.store.Database;

/** {@code GET /health} (UP only when the database answers) and {@code GET /metrics} (Prometheus text). */
final class OpsApi {
    private final Database db;
    private final PrometheusMeterRegistry registry;
    private final Blocking blocking;
    private final Runnable beforeScrape;

    OpsApi(Database db, PrometheusMeterRegistry registry, Blocking blocking, Runnable beforeScrape) {
        this.db = db;
        this.registry = registry;
        this.blocking = blocking;
        this.beforeScrape = beforeScrape;
    }

    void health(RoutingContext ctx) {
        blocking.run(db::isReachable).onComplete(ar -> {
            boolean up = ar.succeeded() && ar.result();
            Replies.json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN")
                    .put("database", up ? "UP" : "DOWN"));
        });
    }

    void metrics(RoutingContext ctx) {
        blocking.run(() -> {
            beforeScrape.run();
            return registry.scrape();
        }).onSuccess(text -> ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(text)).onFailure(ctx::fail);
    }
}
