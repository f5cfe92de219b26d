package org.screening.outreach.web;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.store.DatabaseUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** JSON answers and the one place a failure becomes an HTTP status: errors never carry a stack trace. */
public final class Replies {
    private static final Logger log = LoggerFactory.getLogger(Replies.class);

    private Replies() {}

    /** The same stack, with phone and ID numbers masked in every message (database errors quote rows). */
    static Throwable redacted(Throwable t, int depth) {
        if (t == null) return null;
        RuntimeException r = new RuntimeException(t.getClass().getName() + ": "
                + Masking.redactNumbers(String.valueOf(t.getMessage())));
        r.setStackTrace(t.getStackTrace());
        if (t.getCause() != null && t.getCause() != t && depth < 8) r.initCause(redacted(t.getCause(), depth + 1));
        return r;
    }

    public static void json(RoutingContext ctx, int status, JsonObject body) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .end(body.encode());
    }

    public static void error(RoutingContext ctx, int status, String error, String message) {
        json(ctx, status, new JsonObject().put("error", error).put("message", message));
    }

    /**
     * Router failure handler: known statuses get their JSON error, the database being unavailable a 503 with
     * Retry-After, anything else a 500 with a reference.
     */
    public static void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        switch (status) {
            case 400 -> error(ctx, 400, "bad_request", "the request could not be read");
            case 401 -> error(ctx, 401, "unauthorized", "a valid bearer token is required");
            case 403 -> error(ctx, 403, "forbidden", "outside your scope");
            case 404 -> error(ctx, 404, "not_found", "no such resource");
            case 405 -> error(ctx, 405, "method_not_allowed", "method not allowed here");
            case 413 -> error(ctx, 413, "payload_too_large", "the request body is larger than allowed");
            default -> {
                if (DatabaseUnavailable.causedBy(ctx.failure())) {
                    // Not the caller's fault and not a bug: callers that retry on 503 (transfer peers, scripts) should.
                    log.warn("request {} {}: database unavailable, answered 503", ctx.request().method(),
                            ctx.normalizedPath());
                    if (!ctx.response().headWritten()) ctx.response().putHeader("Retry-After", "10");
                    error(ctx, 503, "unavailable", "the database is unavailable; try again shortly");
                    return;
                }
                String ref = UUID.randomUUID().toString().substring(0, 8);
                log.error("request {} {} failed (ref {})", ctx.request().method(), ctx.normalizedPath(), ref,
                        redacted(ctx.failure(), 0));
                error(ctx, 500, "internal_error", "the server failed; reference " + ref);
            }
        }
    }
}
