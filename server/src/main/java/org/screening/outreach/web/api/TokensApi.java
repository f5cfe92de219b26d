package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.domain.Role;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.ApiTokenStore;
import org.screening.outreach.web.auth.ApiTokens;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/** {@code POST /api/v1/tokens} (admin only): {"name", "role", "jurisdiction"} → the new token, shown once. */
public final class TokensApi {
    /** The name is the ledger's actor as "token:" + name, in a column of 100 characters. */
    static final int MAX_NAME = 100 - "token:".length();
    private final ApiTokens tokens;
    private final Blocking blocking;

    public TokensApi(ApiTokens tokens, Blocking blocking) {
        this.tokens = tokens;
        this.blocking = blocking;
    }

    public void create(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        if (!caller.admin()) {
            Replies.error(ctx, 403, "forbidden", "only the admin token may create tokens");
            return;
        }
        JsonObject body = Bodies.object(ctx, "name, role and jurisdiction");
        if (body == null) return;
        if (Boolean.TRUE.equals(body.getValue("admin"))) {
            createAdmin(ctx, Bodies.text(body, "name"));
            return;
        }
        String name = Bodies.text(body, "name");
        Optional<Role> role = Role.parse(body.getValue("role") instanceof String s ? s : null);
        String prefix = body.getValue("jurisdiction") instanceof String s ? s.strip() : null;
        if (name.isEmpty() || name.length() > MAX_NAME) {
            Replies.error(ctx, 400, "invalid_request", "name is required (up to " + MAX_NAME + " characters)");
        } else if (role.isEmpty()) {
            Replies.error(ctx, 400, "invalid_request", "role must be province, city, county, community or staff");
        } else if (prefix == null || !Jurisdiction.isLevelPrefix(prefix)) {
            Replies.error(ctx, 400, "invalid_request", "jurisdiction must be a whole division code: 2 (province), "
                    + "4 (city), 6 (county), 9 (township) or 12 (community) digits");
        } else if (!prefix.startsWith(caller.jurisdictionPrefix())) {
            Replies.error(ctx, 403, "forbidden", "jurisdiction is outside your scope");
        } else {
            blocking.run(() -> tokens.issue(name, role.get(), prefix)).onSuccess(issued -> Replies.json(ctx, 201,
                    new JsonObject().put("id", issued.id()).put("name", name).put("role", role.get().code())
                            .put("jurisdiction", prefix).put("token", issued.token()))).onFailure(ctx::fail);
        }
    }

    /** {@code "admin": true}: another admin token (province, whole deployment), to rotate the admin token. */
    private void createAdmin(RoutingContext ctx, String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            Replies.error(ctx, 400, "invalid_request", "name is required (up to " + MAX_NAME + " characters)");
            return;
        }
        blocking.run(() -> tokens.issue(name, Role.PROVINCE, "", true)).onSuccess(issued -> Replies.json(ctx, 201,
                new JsonObject().put("id", issued.id()).put("name", name).put("role", Role.PROVINCE.code())
                        .put("jurisdiction", "").put("admin", true).put("token", issued.token()))).onFailure(ctx::fail);
    }

    /** {@code GET /api/v1/tokens}: the admin's view of every token (never the token itself). */
    public void list(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        if (!caller.admin()) {
            Replies.error(ctx, 403, "forbidden", "only the admin token may list tokens");
            return;
        }
        blocking.run(() -> tokens.list(caller.jurisdictionPrefix())).onSuccess(list -> {
            JsonArray out = new JsonArray();
            for (ApiTokenStore.Listed t : list) {
                out.add(new JsonObject().put("id", t.id()).put("name", t.name()).put("role", t.role().code())
                        .put("jurisdiction", t.jurisdictionPrefix()).put("admin", t.admin())
                        .put("createdAt", t.createdAt().toString())
                        .put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString())
                        .put("revokedBy", t.revokedBy()));
            }
            Replies.json(ctx, 200, new JsonObject().put("tokens", out));
        }).onFailure(ctx::fail);
    }

    /** {@code DELETE /api/v1/tokens/{id}}: 200 revoked, 404 unknown, 409 already revoked or the last admin token. */
    public void revoke(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        if (!caller.admin()) {
            Replies.error(ctx, 403, "forbidden", "only the admin token may revoke tokens");
            return;
        }
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Replies.error(ctx, 404, "not_found", "no such token");
            return;
        }
        blocking.run(() -> tokens.revoke(id, caller.actor())).onSuccess(r -> {
            switch (r) {
                case REVOKED -> Replies.json(ctx, 200, new JsonObject().put("id", id).put("revoked", true));
                case UNKNOWN -> Replies.error(ctx, 404, "not_found", "no such token");
                case ALREADY_REVOKED -> Replies.error(ctx, 409, "conflict", "the token is already revoked");
                case LAST_ADMIN -> Replies.error(ctx, 409, "conflict",
                        "the last active admin token cannot be revoked: create another admin token first");
            }
        }).onFailure(ctx::fail);
    }
}
