package org.screening.outreach.web.api;

import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.Consumer;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/**
 * A decision about the case {@code {id}} of the path, taken on a worker once the case exists and lies in the
 * caller's scope: 404 and 403 otherwise, 409 with the domain's words when the case cannot move that way.
 */
final class CaseDecision {
    private CaseDecision() {}

    interface Decision<T> {
        /** Throws IllegalStateException (a 409 for the caller) when the case cannot be decided on as it stands. */
        T decide(String caseId, Caller caller);
    }

    private record Outcome<T>(int status, String error, String message, T value) {}

    static <T> void run(RoutingContext ctx, Blocking blocking, CaseLedger ledger, Decision<T> decision, Consumer<T> done) {
        Caller caller = BearerAuth.caller(ctx);
        String id = ctx.pathParam("id");
        if (!CaseId.looksValid(id)) {
            Replies.error(ctx, 404, "not_found", "no case with this id");
            return;
        }
        blocking.run(() -> {
            Optional<RiskCase> c = ledger.find(id);
            if (c.isEmpty()) return new Outcome<T>(404, "not_found", "no case with this id", null);
            // The jurisdiction of a case never changes: checked before the decision takes the lock.
            if (!caller.covers(c.get().jurisdiction())) {
                return new Outcome<T>(403, "forbidden", "this case is outside your scope", null);
            }
            try {
                return new Outcome<>(200, null, null, decision.decide(id, caller));
            } catch (IllegalStateException e) {
                return new Outcome<T>(409, "conflict", e.getMessage(), null);
            }
        }).onSuccess(o -> {
            if (o.error() != null) Replies.error(ctx, o.status(), o.error(), o.message());
            else done.accept(o.value());
        }).onFailure(ctx::fail);
    }
}
