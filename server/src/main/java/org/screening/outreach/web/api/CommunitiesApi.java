package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.screening.outreach.communities.CommunityDirectory;
import org.screening.outreach.communities.CommunityStore;
import org.screening.outreach.domain.CommunityNames;
import org.screening.outreach.domain.Role;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/**
 * {@code GET /api/v1/communities} and {@code PUT /api/v1/communities}: the names reminder SMS and call greetings use,
 * each jurisdiction naming the divisions inside its own prefix. A PUT is all or nothing: one bad entry refuses the
 * whole list with every problem listed, so a half-applied list never greets people by a stale name.
 */
public final class CommunitiesApi {
    static final int MAX_ENTRIES = 20_000;
    private final CommunityStore store;
    private final CommunityDirectory directory;
    private final Blocking blocking;
    private final Clock clock;

    public CommunitiesApi(CommunityStore store, CommunityDirectory directory, Blocking blocking, Clock clock) {
        this.store = store;
        this.directory = directory;
        this.blocking = blocking;
        this.clock = clock;
    }

    /** The names inside the caller's prefix, by code. */
    public void list(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        blocking.run(store::all).onSuccess(all -> {
            JsonArray out = new JsonArray();
            new TreeMap<>(all).forEach((code, name) -> {
                if (caller.covers(code)) out.add(new JsonObject().put("code", code).put("name", name));
            });
            Replies.json(ctx, 200, new JsonObject().put("communities", out));
        }).onFailure(ctx::fail);
    }

    /** {@code {"communities": [{"code": "510104001001", "name": "玉林街道玉林社区"}, …]}}; a null or empty name removes. */
    public void save(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        if (!caller.admin() && caller.role() == Role.STAFF) {
            Replies.error(ctx, 403, "forbidden", "staff tokens cannot rename communities");
            return;
        }
        JsonObject body = Bodies.object(ctx, "communities: [{code, name}]");
        if (body == null) return;
        if (!(body.getValue("communities") instanceof JsonArray list) || list.isEmpty()) {
            Replies.error(ctx, 400, "invalid_request", "communities must be a non-empty array of {code, name}");
            return;
        }
        if (list.size() > MAX_ENTRIES) {
            Replies.error(ctx, 413, "too_large", "at most " + MAX_ENTRIES + " communities per request");
            return;
        }
        Map<String, String> names = new LinkedHashMap<>();
        JsonArray errors = new JsonArray();
        boolean outside = false;
        for (int i = 0; i < list.size(); i++) {
            JsonObject entry = list.getValue(i) instanceof JsonObject o ? o : null;
            String code = entry != null && entry.getValue("code") instanceof String s ? s.strip() : "";
            Object rawName = entry == null ? null : entry.getValue("name");
            String problem = entry == null ? "each entry must be an object {code, name}" : CommunityNames.codeProblem(code);
            String field = "code";
            if (problem == null && !caller.covers(code)) {
                problem = "code is outside your jurisdiction " + caller.jurisdictionPrefix();
                outside = true;
            } else if (problem == null && names.containsKey(code)) {
                problem = "code appears twice in the list";
            } else if (problem == null && rawName != null && !(rawName instanceof String)) {
                problem = "name must be a string";
                field = "name";
            } else if (problem == null && rawName instanceof String n && !n.isBlank()) {
                problem = CommunityNames.nameProblem(n);
                field = "name";
            }
            if (problem != null) {
                errors.add(new JsonObject().put("index", i).put("field", field).put("message", problem));
            } else {
                names.put(code, rawName instanceof String n && !n.isBlank() ? n.strip() : null);
            }
        }
        if (!errors.isEmpty()) {
            Replies.json(ctx, outside ? 403 : 400, new JsonObject().put("error", outside ? "forbidden" : "invalid_request")
                    .put("message", errors.size() + " of " + list.size() + " entries refused; nothing was saved")
                    .put("errors", errors));
            return;
        }
        blocking.run(() -> {
            store.save(names, caller.actor(), clock.instant());
            return directory.refresh();
        }).onSuccess(n -> Replies.json(ctx, 200, new JsonObject()
                .put("saved", names.values().stream().filter(v -> v != null).count())
                .put("removed", names.values().stream().filter(v -> v == null).count()))).onFailure(ctx::fail);
    }
}
