package org.screening.outreach.web.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.Caller;

/**
 * The jurisdiction a report covers (the daily report, JSON and XLSX, and the ledger export). Omitted or blank, it is
 * the caller's own scope. Unlike a list ({@link ListScope}), a request wider than the scope is refused rather than
 * narrowed: a level submits a report's totals upward as the figures of the jurisdiction it asked for, and a file
 * narrowed to a county but asked for as its city's would carry the city's name in the request that made it. The
 * 403 names the scope the token may ask for ({@code scope}), so the caller can ask again at once.
 */
final class ReportScope {
    private ReportScope() {}

    /** The prefix to report on, or null after answering 400 or 403. */
    static String of(RoutingContext ctx, Caller caller, String asked) {
        String mine = caller.jurisdictionPrefix();
        String prefix = ListScope.asked(ctx, caller, asked);
        if (prefix == null || prefix.startsWith(mine)) return prefix;
        String why = mine.startsWith(prefix)
                ? "jurisdiction " + prefix + " is wider than your scope; a report covers all of the jurisdiction "
                        + "asked for"
                : "jurisdiction " + prefix + " is outside your scope";
        Replies.json(ctx, 403, new JsonObject().put("error", "forbidden")
                .put("message", why + ": ask for " + mine + " or a part of it").put("scope", mine));
        return null;
    }
}
