package org.screening.outreach.web.auth;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;

/** Requires {@code Authorization: Bearer <token>}; puts the {@link Caller} on the context. */
public final class BearerAuth implements Handler<RoutingContext> {
    private static final String KEY = "caller";
    private final ApiTokens tokens;
    private final Blocking blocking;

    public BearerAuth(ApiTokens tokens, Blocking blocking) {
        this.tokens = tokens;
        this.blocking = blocking;
    }

    public static Caller caller(RoutingContext ctx) {
        return ctx.get(KEY);
    }

    @Override
    public void handle(RoutingContext ctx) {
        // Hold the body until the caller is known; the next handler resumes the request when it reads it.
        if (!ctx.request().isEnded()) ctx.request().pause();
        String header = ctx.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Replies.error(ctx, 401, "unauthorized", "send the API token as 'Authorization: Bearer <token>'");
            return;
        }
        String token = header.substring(7).strip();
        blocking.run(() -> tokens.authenticate(token)).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result().isEmpty()) {
                Replies.error(ctx, 401, "unauthorized", "the API token is not valid");
            } else {
                ctx.put(KEY, ar.result().get());
                ctx.next();
            }
        });
    }
}
