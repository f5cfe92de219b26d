package org.screening.outreach.web.console;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/**
 * {@code POST /api/v1/staff} (admin token only): {"username", "password", "displayName", "role",
 * "jurisdictionPrefix", "admin"} → 201 with the account (never the password). How the first console admin is made.
 * {@code POST /api/v1/staff/{username}/disable|enable|password} (admin token, accounts within its prefix): the admin
 * page's account changes; password takes {"password"}.
 */
public final class StaffApi {
    private final StaffDirectory directory;
    private final StaffAccountChanges changes;
    private final Blocking blocking;

    public StaffApi(StaffDirectory directory, StaffAccountChanges changes, Blocking blocking) {
        this.directory = directory;
        this.changes = changes;
        this.blocking = blocking;
    }

    public void create(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        if (!caller.admin()) {
            Replies.error(ctx, 403, "forbidden", "only the admin token may create staff accounts");
            return;
        }
        JsonObject body = object(ctx);
        if (body == null) {
            Replies.error(ctx, 400, "invalid_json",
                    "the body must be a JSON object with username, password, displayName, role and jurisdictionPrefix");
            return;
        }
        if (body.containsKey("admin") && !(body.getValue("admin") instanceof Boolean)) {
            Replies.error(ctx, 400, "invalid_request", "admin must be true or false");
            return;
        }
        StaffDirectory.Request r = new StaffDirectory.Request(text(body, "username"), raw(body, "password"),
                text(body, "displayName"), text(body, "role"), text(body, "jurisdictionPrefix"),
                Boolean.TRUE.equals(body.getValue("admin")));
        blocking.run(() -> directory.create(r, caller.role(), caller.jurisdictionPrefix())).onSuccess(outcome -> {
            if (outcome instanceof StaffDirectory.Created c) {
                Replies.json(ctx, 201, new JsonObject().put("id", c.id())
                        .put("username", c.user().username()).put("displayName", c.user().displayName())
                        .put("role", c.user().role().code()).put("jurisdictionPrefix", c.user().jurisdictionPrefix())
                        .put("admin", c.user().admin()));
            } else if (outcome instanceof StaffDirectory.Refused p) {
                Replies.error(ctx, 400, "invalid_request", p.problem().message());
            } else if (outcome instanceof StaffDirectory.OutsideScope) {
                Replies.error(ctx, 403, "forbidden", "jurisdictionPrefix or role reaches beyond your own");
            } else {
                Replies.error(ctx, 409, "conflict", "username is already taken");
            }
        }).onFailure(ctx::fail);
    }

    public void disable(RoutingContext ctx) {
        change(ctx, changes::disable, new JsonObject().put("disabled", true));
    }

    public void enable(RoutingContext ctx) {
        change(ctx, changes::enable, new JsonObject().put("disabled", false));
    }

    public void password(RoutingContext ctx) {
        JsonObject body = object(ctx);
        if (body == null || !(body.getValue("password") instanceof String password)) {
            Replies.error(ctx, 400, "invalid_json", "the body must be a JSON object with password");
            return;
        }
        change(ctx, (username, by) -> changes.setPassword(username, password, by),
                new JsonObject().put("passwordChanged", true));
    }

    private interface Change {
        StaffAccountChanges.Result apply(String username, StaffAccountChanges.Actor by);
    }

    private void change(RoutingContext ctx, Change change, JsonObject done) {
        Caller caller = BearerAuth.caller(ctx);
        if (!caller.admin()) {
            Replies.error(ctx, 403, "forbidden", "only the admin token may change staff accounts");
            return;
        }
        String username = ctx.pathParam("username");
        StaffAccountChanges.Actor by = new StaffAccountChanges.Actor(caller.jurisdictionPrefix(), 0, caller.actor(),
                "API token " + caller.tokenId(), null);
        blocking.run(() -> change.apply(username, by)).onSuccess(r -> {
            switch (r.kind()) {
                case DONE -> Replies.json(ctx, 200, done.copy().put("username", username));
                case NOT_FOUND -> Replies.error(ctx, 404, "not_found", "no staff account of that name within your scope");
                case OWN_ACCOUNT -> Replies.error(ctx, 409, "conflict", "you cannot disable your own account");
                case LAST_ADMIN -> Replies.error(ctx, 409, "conflict",
                        "the last enabled admin account cannot be disabled: make another admin first");
                case BAD_PASSWORD -> Replies.error(ctx, 400, "invalid_request", r.problem().message());
            }
        }).onFailure(ctx::fail);
    }

    private static JsonObject object(RoutingContext ctx) {
        try {
            return ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    private static String text(JsonObject o, String key) {
        return o.getValue(key) instanceof String s ? s.strip() : "";
    }

    private static String raw(JsonObject o, String key) {
        return o.getValue(key) instanceof String s ? s : "";
    }
}
