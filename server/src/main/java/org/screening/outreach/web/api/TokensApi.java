package org.screening.outreach.web.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.domain.Role;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.ApiTokens;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/** {@code POST /api/v1/tokens} (admin only): {"name", "role", "jurisdiction"} → the new token, shown once. */
public final class TokensApi {
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
        String name = Bodies.text(body, "name");
        Optional<Role> role = Role.parse(body.getValue("role") instanceof String s ? s : null);
        String prefix = body.getValue("jurisdiction") instanceof String s ? s.strip() : null;
        if (name.isEmpty() || name.length() > 100) {
            Replies.error(ctx, 400, "invalid_request", "name is required (up to 100 characters)");
        } else if (role.isEmpty()) {
            Replies.error(ctx, 400, "invalid_request", "role must be province, city, county, community or staff");
        } else if (prefix == null || !Jurisdiction.isValidPrefix(prefix)) {
            Replies.error(ctx, 400, "invalid_request", "jurisdiction must be a prefix of a 12-digit division code");
        } else if (!prefix.startsWith(caller.jurisdictionPrefix())) {
            Replies.error(ctx, 403, "forbidden", "jurisdiction is outside your scope");
        } else {
            blocking.run(() -> tokens.issue(name, role.get(), prefix)).onSuccess(issued -> Replies.json(ctx, 201,
                    new JsonObject().put("id", issued.id()).put("name", name).put("role", role.get().code())
                            .put("jurisdiction", prefix).put("token", issued.token()))).onFailure(ctx::fail);
        }
    }
}
