package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.Role;
import org.screening.outreach.ledger.feed.Delivery;
import org.screening.outreach.ledger.feed.LedgerFeedStore;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/**
 * The ledger feed's deliveries: {@code GET /api/v1/ledger/deliveries?status=failed|pending|idle}, {@code GET …/{id}},
 * {@code POST …/{id}/retry}, {@code POST …/{id}/skip} and {@code POST …/retry-failed}. A delivery is one case's
 * stream of events to one destination; it shows the event it waits on. Every token sees the deliveries of the
 * cases in its jurisdiction prefix and may act on them (others are 404): the scope, not the role, decides, as for
 * transfers ({@link TransfersApi#retry}). The community whose verification the city's ledger lacks is the one that
 * notices it and asks.
 */
public final class LedgerDeliveriesApi {
    private static final Set<String> STATUSES = Set.of("failed", "pending", "idle");
    private static final int MAX_LIMIT = 500;
    private final LedgerFeedStore store;
    private final Blocking blocking;
    private final ZoneId zone;
    private final Clock clock;

    public LedgerDeliveriesApi(LedgerFeedStore store, Blocking blocking, ZoneId zone, Clock clock) {
        this.store = store;
        this.blocking = blocking;
        this.zone = zone;
        this.clock = clock;
    }

    public void list(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        String status = ctx.queryParams().get("status") == null ? "failed" : ctx.queryParams().get("status").strip()
                .toLowerCase(Locale.ROOT);
        if (!STATUSES.contains(status)) {
            Replies.error(ctx, 400, "invalid_request", "status must be failed, pending or idle");
            return;
        }
        Long after = number(ctx, "after", 0);
        Long limit = number(ctx, "limit", 100);
        if (after == null || limit == null) return;
        int n = (int) Math.max(1, Math.min(MAX_LIMIT, limit));
        ListScope scope = ListScope.of(ctx, caller, ctx.queryParams().get("jurisdiction"));
        if (scope == null) return;
        blocking.run(() -> store.list(status.toUpperCase(Locale.ROOT), scope.prefix(), after, n))
                .onSuccess(found -> {
                    JsonArray out = new JsonArray();
                    found.forEach(d -> out.add(json(d)));
                    Replies.json(ctx, 200, scope.describe(new JsonObject().put("deliveries", out)
                            .put("next", found.size() == n ? found.get(n - 1).id() : null)));
                }).onFailure(ctx::fail);
    }

    public void get(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        Long id = id(ctx);
        if (id == null) return;
        blocking.run(() -> store.find(id, caller.jurisdictionPrefix())).onSuccess(d -> {
            if (d.isEmpty()) Replies.error(ctx, 404, "not_found", "no such delivery in your jurisdiction");
            else Replies.json(ctx, 200, json(d.get()));
        }).onFailure(ctx::fail);
    }

    /** 200 with the delivery back in the queue; 404 unknown (or outside the scope); 409 when it is not failed. */
    public void retry(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        Long id = id(ctx);
        if (id == null) return;
        Instant now = clock.instant();
        blocking.run(() -> {
            boolean requeued = store.retry(id, caller.jurisdictionPrefix(), now);
            return new RetryOutcome(requeued, store.find(id, caller.jurisdictionPrefix()));
        }).onSuccess(r -> {
            if (r.delivery().isEmpty()) Replies.error(ctx, 404, "not_found", "no such delivery in your jurisdiction");
            else if (!r.requeued()) Replies.error(ctx, 409, "conflict", "the delivery is "
                    + r.delivery().get().status().toLowerCase(Locale.ROOT) + ", not failed");
            else Replies.json(ctx, 200, json(r.delivery().get()));
        }).onFailure(ctx::fail);
    }

    private record RetryOutcome(boolean requeued, Optional<Delivery> delivery) {}

    /** Type of the ledger event recording that an operator gave up on delivering one event to one destination. */
    public static final String SKIPPED = "LEDGER_DELIVERY_SKIPPED";

    /**
     * {@code {"reason": "…"}}: the receiver will never take the parked event (it refuses it for good); the case's
     * later events go on. The skip is itself a ledger event of the case, so the receiver learns what it missed.
     * 200 with the delivery; 404 unknown; 409 when it is not failed (or moved on meanwhile); 400 without a reason;
     * 403 below the county task force: unlike a retry, a skip takes an event out of the ledger the level above reads.
     */
    public void skip(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        if (!caller.admin() && !Role.COUNTY.within(caller.role())) {
            Replies.error(ctx, 403, "forbidden", "giving up on a ledger event needs an admin, province, city or county token");
            return;
        }
        Long id = id(ctx);
        if (id == null) return;
        JsonObject body = Bodies.object(ctx, "reason");
        if (body == null) return;
        String reason = Bodies.text(body, "reason");
        if (reason.isEmpty() || reason.length() > 300) {
            Replies.error(ctx, 400, "invalid_request", "reason is required (up to 300 characters): why the event is given up");
            return;
        }
        Instant now = clock.instant();
        blocking.run(() -> {
            Optional<Delivery> before = store.find(id, caller.jurisdictionPrefix());
            if (before.isEmpty() || !before.get().status().equals("FAILED") || before.get().headSeq() == 0) {
                return new RetryOutcome(false, before);
            }
            Delivery d = before.get();
            LedgerEvent record = new LedgerEvent(d.caseId(), SKIPPED, now, caller.actor(), Map.of(
                    "destination", d.destination(), "eventId", d.eventId(), "eventType", String.valueOf(d.headType()),
                    "reason", reason));
            boolean skipped = store.skip(id, caller.jurisdictionPrefix(), d.headSeq(), record, now);
            return new RetryOutcome(skipped, store.find(id, caller.jurisdictionPrefix()));
        }).onSuccess(r -> {
            if (r.delivery().isEmpty()) Replies.error(ctx, 404, "not_found", "no such delivery in your jurisdiction");
            else if (!r.requeued()) Replies.error(ctx, 409, "conflict", "the delivery is "
                    + r.delivery().get().status().toLowerCase(Locale.ROOT) + ", not failed");
            else Replies.json(ctx, 200, json(r.delivery().get()));
        }).onFailure(ctx::fail);
    }

    public void retryFailed(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        Instant now = clock.instant();
        blocking.run(() -> store.retryAll(caller.jurisdictionPrefix(), now))
                .onSuccess(n -> Replies.json(ctx, 200, new JsonObject().put("requeued", n))).onFailure(ctx::fail);
    }

    private static Long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Replies.error(ctx, 404, "not_found", "no such delivery");
            return null;
        }
    }

    private static Long number(RoutingContext ctx, String name, long def) {
        String v = ctx.queryParams().get(name);
        if (v == null || v.isBlank()) return def;
        try {
            return Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            Replies.error(ctx, 400, "invalid_request", name + " must be a whole number");
            return null;
        }
    }

    private JsonObject json(Delivery d) {
        return new JsonObject().put("id", d.id()).put("destination", d.destination()).put("caseId", d.caseId())
                .put("status", d.status().toLowerCase(Locale.ROOT)).put("eventId", d.eventId())
                .put("sequence", d.headSeq() == 0 ? null : d.headSeq()).put("eventType", d.headType())
                .put("waitingEvents", d.waitingEvents()).put("attempts", d.attempts()).put("lastError", d.lastError())
                .put("lastStatus", d.lastStatus()).put("firstFailedAt", time(d.firstFailedAt()))
                // A parked delivery is tried again only when an operator says so.
                .put("nextAttemptAt", d.status().equals("FAILED") ? null : time(d.nextAttemptAt()));
    }

    private String time(Instant i) {
        return i == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atZone(zone).toOffsetDateTime());
    }
}
