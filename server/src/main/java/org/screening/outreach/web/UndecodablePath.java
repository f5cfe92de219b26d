package org.screening.outreach.web;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * A path whose percent escapes do not decode ({@code /r/abc%ZZ}: a link a phone or a forwarding app mangled). The
 * router cannot match such a path against any route, nor run a route's failure handler, and would answer a bare
 * English "Bad Request". Run before every route with a path: a self-report link gets its Chinese bad-link page like
 * any other bad link, a console address the console's not-found page, everything else the usual JSON 400.
 */
public final class UndecodablePath implements Handler<RoutingContext> {
    private final Handler<RoutingContext> badReportLink;
    private final Handler<RoutingContext> consoleNotFound;

    public UndecodablePath(Handler<RoutingContext> badReportLink, Handler<RoutingContext> consoleNotFound) {
        this.badReportLink = badReportLink;
        this.consoleNotFound = consoleNotFound;
    }

    @Override
    public void handle(RoutingContext ctx) {
        try {
            ctx.normalizedPath();
        } catch (IllegalArgumentException e) {
            String path = ctx.request().path();
            if (path.startsWith("/r/")) badReportLink.handle(ctx);
            else if (path.startsWith("/console/")) consoleNotFound.handle(ctx);
            else Replies.error(ctx, 400, "invalid_request", "the path has a broken percent escape");
            return;
        }
        ctx.next();
    }
}
