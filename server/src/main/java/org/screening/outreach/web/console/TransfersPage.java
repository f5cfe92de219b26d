package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.domain.Transfer;
import org.screening.outreach.ledger.transfer.TransferStore;
import org.screening.outreach.ledger.transfer.Transfers;
import org.screening.outreach.web.Blocking;

/**
 * {@code /console/transfers}: people handed to other jurisdictions from the user's scope. By default the county task
 * force list — transfers escalated and still unacknowledged, which someone must chase by phone; {@code ?all=1}
 * shows every recent one with its state. Whoever sees a refused or unconfirmed one may send it again there
 * ({@code POST /console/transfers/{id}/retry}, as the API's retry: the scope decides, not the role).
 */
public final class TransfersPage {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");
    private final Transfers transfers;
    private final ConsolePages pages;
    private final Blocking blocking;
    private final ZoneId zone;
    private final Clock clock;

    public TransfersPage(Transfers transfers, ConsolePages pages, Blocking blocking, ZoneId zone, Clock clock) {
        this.transfers = transfers;
        this.pages = pages;
        this.blocking = blocking;
        this.zone = zone;
        this.clock = clock;
    }

    public void show(RoutingContext ctx) {
        StaffUser user = ConsoleAuth.user(ctx);
        boolean all = "1".equals(ctx.queryParams().get("all"));
        Messages m = pages.messages(ctx);
        Instant now = clock.instant();
        String done = ctx.queryParams().get("done");
        blocking.run(() -> transfers.list(new TransferStore.Filter(Transfer.Direction.OUT, !all,
                user.jurisdictionPrefix(), 200))).onSuccess(found -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Transfer t : found) {
                Map<String, Object> r = new HashMap<>();
                r.put("id", t.id());
                r.put("caseId", t.caseId());
                r.put("to", t.toJurisdiction());
                r.put("reason", t.reason());
                r.put("status", t.status().name());
                r.put("statusText", m.getOr("transfer.status." + t.status().name(), t.status().name()));
                r.put("created", TIME.format(t.createdAt().atZone(zone)));
                r.put("ackBy", TIME.format(t.ackBy().atZone(zone)));
                r.put("late", t.ackedAt() == null && now.isAfter(t.ackBy()));
                r.put("escalated", t.escalatedAt() == null ? "" : TIME.format(t.escalatedAt().atZone(zone)));
                r.put("error", t.lastError() == null ? "" : t.lastError());
                r.put("retry", Transfers.retryable(t));
                rows.add(r);
            }
            Map<String, Object> vars = new HashMap<>();
            vars.put("rows", rows);
            vars.put("all", all);
            vars.put("notice", "retried".equals(done) ? m.get("transfers.retried") : "");
            vars.put("nowMillis", String.valueOf(now.toEpochMilli()));
            pages.send(ctx, 200, "transfers", vars);
        }).onFailure(ctx::fail);
    }

    private enum Retry { DONE, NOT_FOUND, CONFLICT }

    /** The task force sends a transfer again once the receiving side's configuration is fixed. */
    public void retry(RoutingContext ctx) {
        StaffUser user = ConsoleAuth.user(ctx);
        String id = ctx.pathParam("id");
        blocking.run(() -> {
            try {
                return transfers.retry(id, user.jurisdictionPrefix(), user.actor()).isPresent() ? Retry.DONE : Retry.NOT_FOUND;
            } catch (IllegalStateException e) {
                return Retry.CONFLICT;
            }
        }).onSuccess(r -> {
            switch (r) {
                case DONE -> pages.redirect(ctx, "/console/transfers?done=retried");
                case NOT_FOUND -> pages.message(ctx, 404, "error.notFound.title", "error.notFound.text");
                case CONFLICT -> pages.message(ctx, 409, "transfers.retry.conflict.title", "transfers.retry.conflict.text");
            }
        }).onFailure(ctx::fail);
    }
}
