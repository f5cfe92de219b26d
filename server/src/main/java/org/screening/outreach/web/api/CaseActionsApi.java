package org.screening.outreach.web.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.ExternalResult;
import org.screening.outreach.ledger.CaseUpdates;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;

/** {@code POST /api/v1/cases/{id}/verify}, {@code /close} (销号, only from VERIFIED, else 409) and {@code /results}. */
public final class CaseActionsApi {
    private static final Set<String> METHODS = Set.of("phone", "self_report", "door_knock", "control_measure");
    private final CaseLedger ledger;
    private final Blocking blocking;
    private final CaseJson json;
    private final Clock clock;
    private final CaseUpdates updates;
    private final CaseProgress progress;

    public CaseActionsApi(CaseLedger ledger, CaseUpdates updates, CaseProgress progress, Blocking blocking, ZoneId zone,
                          Clock clock) {
        this.ledger = ledger;
        this.updates = updates;
        this.progress = progress;
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
        if (Bodies.tooLong(ctx, "note", note, 500)) return;
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

    /**
     * {@code POST /api/v1/cases/{id}/results}: {"result": home_isolation | centralised_isolation | health_monitoring |
     * verified, "system": "...", "note": "...", "close": false, "reason": "..."} from a community system.
     */
    public void result(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, "result and system");
        if (body == null) return;
        Optional<ExternalResult> result = ExternalResult.parse(Bodies.text(body, "result"));
        String system = Bodies.text(body, "system");
        boolean close = Boolean.TRUE.equals(body.getValue("close"));
        String reason = Bodies.text(body, "reason");
        if (result.isEmpty()) {
            Replies.error(ctx, 400, "invalid_request",
                    "result must be home_isolation, centralised_isolation, health_monitoring or verified");
            return;
        }
        if (body.getValue("close") != null && !(body.getValue("close") instanceof Boolean)) {
            // "close": "true" (a string) would verify and silently leave the case open: the sender believes it closed.
            Replies.error(ctx, 400, "invalid_request", "close must be true or false (a JSON boolean)");
            return;
        }
        if (system.isEmpty() || system.length() > 100) {
            Replies.error(ctx, 400, "invalid_request", "system (the reporting system's name) is required");
            return;
        }
        if (close && (reason.isEmpty() || reason.length() > 500)) {
            Replies.error(ctx, 400, "invalid_request", "closing needs a reason (up to 500 characters)");
            return;
        }
        String note = Bodies.text(body, "note");
        if (Bodies.tooLong(ctx, "note", note, 500)) return;
        CaseDecision.run(ctx, blocking, ledger, (id, caller) -> updates.apply(id, rc -> progress.afterResult(rc, result.get(),
                system, note, close, reason, clock.instant(), caller.actor()), clock.instant()), c -> answer(ctx));
    }

    /**
     * {@code POST /api/v1/cases/{id}/sms}: the reminder SMS once more, due now (202 with the attempt); 409 with the
     * reason when the case is not open, has a landline, the person texted STOP, or a reminder is already on its way.
     * Any body is ignored: there is nothing to choose.
     */
    public void resendSms(RoutingContext ctx) {
        CaseDecision.run(ctx, blocking, ledger, (id, caller) -> updates.resendSms(id, caller.actor(), caller.name(),
                clock.instant()), attempt -> {
            if (attempt.isEmpty()) Replies.error(ctx, 404, "not_found", "no case with this id");
            else Replies.json(ctx, 202, new JsonObject().put("attempt", attempt.get()).put("status", "PLANNED"));
        });
    }

    private void move(RoutingContext ctx, CaseStatus target, String reason) {
        CaseDecision.run(ctx, blocking, ledger, (id, caller) -> updates.apply(id,
                rc -> CaseProgress.decidedByStaff(rc, target, clock.instant(), caller.actor(), reason), clock.instant()),
                c -> answer(ctx));
    }

    private void answer(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        blocking.run(() -> ledger.find(id).orElseThrow()).onSuccess(c ->
                Replies.json(ctx, 200, json.riskCase(c, clock.instant(), false, false))).onFailure(ctx::fail);
    }
}
