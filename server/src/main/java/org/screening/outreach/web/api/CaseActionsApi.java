package org.screening.outreach.web.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/** {@code POST /api/v1/cases/{id}/verify} and {@code /close} (销号, only from VERIFIED; anything else is 409). */
public final class CaseActionsApi {
    private static final Set<String> METHODS = Set.of("phone", "self_report", "door_knock", "control_measure");
    private final CaseLedger ledger;
    private final Blocking blocking;
    private final CaseJson json;
    private final Clock clock;

    public CaseActionsApi(CaseLedger ledger, Blocking blocking, ZoneId zone, Clock clock) {
        this.ledger = ledger;
        this.blocking = blocking;
        this.json = new CaseJson(zone);
        this.clock = clock;
    }

    public void verify(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, "method (phone, self_report, door_knock, control_measure)");
        if (body == null) return;
        String method = Bodies.text(body, "method");
        if (!METHODS.contains(method)) {
            Replies.error(ctx, 400, "invalid_request", "method must be one of phone, self_report, door_knock, control_measure");
            return;
        }
        String note = Bodies.text(body, "note");
        move(ctx, CaseStatus.VERIFIED, "verified by " + method + (note.isEmpty() ? "" : ": " + note));
    }

    public void close(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, "reason");
        if (body == null) return;
        String reason = Bodies.text(body, "reason");
        if (reason.isEmpty() || reason.length() > 500) {
            Replies.error(ctx, 400, "invalid_request", "reason is required (up to 500 characters)");
            return;
        }
        move(ctx, CaseStatus.CLOSED, reason);
    }

    private void move(RoutingContext ctx, CaseStatus target, String reason) {
        Caller caller = BearerAuth.caller(ctx);
        String id = ctx.pathParam("id");
        if (!CaseId.looksValid(id)) {
            Replies.error(ctx, 404, "not_found", "no case with this id");
            return;
        }
        blocking.run(() -> {
            Optional<RiskCase> c = ledger.find(id);
            if (c.isEmpty()) return Map.entry(404, "no case with this id");
            if (!caller.covers(c.get().jurisdiction())) return Map.entry(403, "this case is outside your scope");
            if (!c.get().status().canMoveTo(target)) {
                return Map.entry(409, target == CaseStatus.CLOSED
                        ? "only a VERIFIED case can be closed; this case is " + c.get().status()
                        : "a " + c.get().status() + " case cannot become " + target);
            }
            boolean applied = ledger.apply(c.get().moveTo(target, clock.instant(), caller.actor(), reason));
            return applied ? Map.entry(200, "") : Map.entry(409, "the case changed meanwhile; read it and try again");
        }).onSuccess(r -> {
            switch (r.getKey()) {
                case 404 -> Replies.error(ctx, 404, "not_found", r.getValue());
                case 403 -> Replies.error(ctx, 403, "forbidden", r.getValue());
                case 409 -> Replies.error(ctx, 409, "conflict", r.getValue());
                default -> blocking.run(() -> ledger.find(id).orElseThrow()).onSuccess(c ->
                        Replies.json(ctx, 200, json.riskCase(c, clock.instant(), false, false))).onFailure(ctx::fail);
            }
        }).onFailure(ctx::fail);
    }
}
