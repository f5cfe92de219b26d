package org.screening.outreach.web.webhooks.spool;

import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A provider callback as it arrived, after its signature was checked: path, query and form parameters (one value
 * per name, as the signature check reads them) and the arrival time. All a webhook needs to apply it, now or, from
 * the spool, later; {@link #toJson()} is its file form.
 */
public record WebhookCallback(String path, Map<String, String> query, Map<String, String> form, Instant receivedAt) {
    /** Written into every file, so a later version can tell old files from new ones. */
    static final String FORMAT = "outreach.webhook-callback/1";

    public WebhookCallback {
        if (path == null || !path.startsWith("/")) throw new IllegalArgumentException("a callback needs its path");
        if (receivedAt == null) throw new IllegalArgumentException("a callback needs its arrival time");
        query = Collections.unmodifiableMap(new TreeMap<>(query));
        form = Collections.unmodifiableMap(new TreeMap<>(form));
    }

    /** The request being handled, arrived {@code now}. */
    public static WebhookCallback of(RoutingContext ctx, Instant now) {
        return new WebhookCallback(ctx.request().path(), first(ctx.queryParams()), first(ctx.request().formAttributes()), now);
    }

    /** A query parameter, null when absent. */
    public String query(String name) {
        return query.get(name);
    }

    /** A form parameter, null when absent. */
    public String form(String name) {
        return form.get(name);
    }

    byte[] toJson() {
        return new JsonObject().put("format", FORMAT).put("path", path).put("receivedAt", receivedAt.toString())
                .put("query", new JsonObject(new TreeMap<String, Object>(query)))
                .put("form", new JsonObject(new TreeMap<String, Object>(form)))
                .encode().getBytes(StandardCharsets.UTF_8);
    }

    /** The callback a file holds; IllegalArgumentException when the file is not one (damaged, truncated, foreign). */
    static WebhookCallback fromJson(byte[] bytes) {
        try {
            JsonObject o = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
            if (!FORMAT.equals(o.getString("format"))) throw new IllegalArgumentException("not a spooled callback");
            return new WebhookCallback(o.getString("path"), strings(o.getJsonObject("query")),
                    strings(o.getJsonObject("form")), Instant.parse(o.getString("receivedAt")));
        } catch (DecodeException | ClassCastException | DateTimeException | NullPointerException e) { // missing or mistyped fields
            throw new IllegalArgumentException("not a spooled callback: " + e.getClass().getSimpleName(), e);
        }
    }

    private static Map<String, String> strings(JsonObject o) {
        Map<String, String> out = new TreeMap<>();
        for (String name : o.fieldNames()) {
            if (!(o.getValue(name) instanceof String value)) throw new IllegalArgumentException("parameter " + name + " is not text");
            out.put(name, value);
        }
        return out;
    }

    private static Map<String, String> first(MultiMap m) {
        Map<String, String> out = new TreeMap<>();
        for (String name : m.names()) out.put(name, m.get(name));
        return out;
    }
}
