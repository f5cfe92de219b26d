package org.screening.outreach.web.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.screening.outreach.web.Replies;

/** Reading small JSON request bodies: a JSON object or a 400 that says what was expected. */
final class Bodies {
    private Bodies() {}

    /** The body as an object, or null after answering 400. */
    static JsonObject object(RoutingContext ctx, String expected) {
        try {
            JsonObject o = ctx.body().asJsonObject();
            if (o != null) return o;
        } catch (DecodeException | ClassCastException e) {
            // answered below
        }
        Replies.error(ctx, 400, "invalid_json", "the body must be a JSON object with " + expected);
        return null;
    }

    /** A trimmed string field, or "" when absent or not a string. */
    static String text(JsonObject o, String key) {
        return o != null && o.getValue(key) instanceof String s ? s.strip() : "";
    }
}
