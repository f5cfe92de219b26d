package org.screening.outreach.web.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.Caller;

/**
 * The jurisdiction a list read covers (cases, door knocks, transfers, ledger deliveries). A filter inside the caller's scope is
 * taken as asked; one wider than it (a county token asking for its whole city) is narrowed to the caller's own
 * scope, and the answer says so in {@code jurisdiction} and {@code note} rather than listing less without a word;
 * one that does not overlap it at all is a 403.
 */
record ListScope(String prefix, String note) {

    /** The scope to list, or null after answering 400 or 403. */
    static ListScope of(RoutingContext ctx, Caller caller, String asked) {
        String mine = caller.jurisdictionPrefix();
        String prefix = asked(ctx, caller, asked);
        if (prefix == null) return null;
        if (prefix.startsWith(mine)) return new ListScope(prefix, null);
        if (!mine.startsWith(prefix)) {
            Replies.error(ctx, 403, "forbidden", "jurisdiction " + prefix + " is outside your scope (" + mine + ")");
            return null;
        }
        return new ListScope(mine, "jurisdiction " + prefix + " is wider than your scope; only " + mine
                + " is listed");
    }

    /** The prefix asked for, the caller's own when left out or blank; null after answering 400 for a malformed one. */
    static String asked(RoutingContext ctx, Caller caller, String asked) {
        String prefix = asked == null || asked.isBlank() ? caller.jurisdictionPrefix() : asked.strip();
        if (Jurisdiction.isValidPrefix(prefix)) return prefix;
        Replies.error(ctx, 400, "invalid_request", "jurisdiction must be up to 12 digits of a division code");
        return null;
    }

    /** Puts the scope listed, and the note when it was narrowed, into a list answer. */
    JsonObject describe(JsonObject answer) {
        answer.put("jurisdiction", prefix);
        if (note != null) answer.put("note", note);
        return answer;
    }
}
