package org.screening.outreach.web.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.screening.outreach.web.Replies;

/** Reading small JSON request bodies: a JSON object or a 400 that says what was expected. */
final class Bodies {
    private Bodies() {}

    private static final java.util.regex.Pattern WHERE = java.util.regex.Pattern.compile("line: (\\d+), column: (\\d+)");

    /** The body as an object, or null after answering 400 (where the JSON broke, when it did; no parser internals). */
    static JsonObject object(RoutingContext ctx, String expected) {
        String problem = "the body must be a JSON object with " + expected;
        try {
            JsonObject o = ctx.body().asJsonObject();
            if (o != null) return o;
        } catch (DecodeException e) {
            java.util.regex.Matcher m = WHERE.matcher(String.valueOf(e.getMessage()));
            problem += m.find() ? "; it is not valid JSON at line " + m.group(1) + ", column " + m.group(2)
                    : "; it is not valid JSON";
        } catch (ClassCastException e) {
            problem += ", not an array or a single value";
        }
        Replies.error(ctx, 400, "invalid_json", problem);
        return null;
    }

    /**
     * True, after answering 400, when an optional free-text field is over {@code max} characters: the ledger keeps it,
     * and a note the size of a book would fail the write with the whole decision.
     */
    static boolean tooLong(RoutingContext ctx, String field, String value, int max) {
        if (value.length() <= max) return false;
        Replies.error(ctx, 400, "invalid_request", field + " is longer than " + max + " characters");
        return true;
    }

    /** A trimmed string field, or "" when absent or not a string. */
    static String text(JsonObject o, String key) {
        return o != null && o.getValue(key) instanceof String s ? s.strip() : "";
    }
}
