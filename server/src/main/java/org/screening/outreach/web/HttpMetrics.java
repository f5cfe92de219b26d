package org.screening.outreach.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Times every request by method, route template (never the raw path, which holds ids) and status. */
final class HttpMetrics implements Handler<RoutingContext> {
    private final MeterRegistry registry;
    /**
     * The timers already registered: asking the registry builds and sorts the tags and looks the meter up on every
     * request. Few keys: the routes times methods times the statuses they answer.
     */
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(String method, String route, int status) {}

    HttpMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long start = System.nanoTime();
        ctx.addEndHandler(v -> {
            String route = ctx.currentRoute() == null || ctx.currentRoute().getPath() == null
                    ? "other" : ctx.currentRoute().getPath();
            timers.computeIfAbsent(new Key(ctx.request().method().name(), route, ctx.response().getStatusCode()),
                            k -> Timer.builder("http_server_requests")
                                    .tag("method", k.method())
                                    .tag("route", k.route())
                                    .tag("status", Integer.toString(k.status()))
                                    .register(registry))
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
        ctx.next();
    }
}
