package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.Transfer;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.ledger.feed.FeedSignature;
import org.screening.outreach.ledger.transfer.TransferIntake;
import org.screening.outreach.ledger.transfer.TransferPayload;
import org.screening.outreach.ledger.transfer.TransferRoutes;
import org.screening.outreach.ledger.transfer.TransferStore;
import org.screening.outreach.ledger.transfer.Transfers;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/**
 * Transfers to the home jurisdiction (issue 7 item 3). Staff and systems (bearer token):
 * {@code POST /api/v1/cases/{id}/transfer}, {@code GET /api/v1/transfers} (the county task force list with
 * {@code ?escalated=true}) and {@code POST /api/v1/transfers/{id}/retry} (send a refused one again). Peers (no token; the body is signed with the pair's key and the sender names itself in
 * {@code X-Outreach-Jurisdiction}): {@code POST /api/v1/transfers} and {@code POST /api/v1/transfers/{id}/ack}.
 */
public final class TransfersApi {
    public static final String PEER_HEADER = "X-Outreach-Jurisdiction";
    private final Transfers transfers;
    private final TransferIntake intake;
    private final TransferStore store;
    private final CaseLedger ledger;
    private final Blocking blocking;
    private final ZoneId zone;

    public TransfersApi(Transfers transfers, TransferIntake intake, TransferStore store, CaseLedger ledger,
                        Blocking blocking, ZoneId zone) {
        this.transfers = transfers;
        this.intake = intake;
        this.store = store;
        this.ledger = ledger;
        this.blocking = blocking;
        this.zone = zone;
    }

    public void handOver(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, "jurisdiction and reason");
        if (body == null) return;
        String to = Bodies.text(body, "jurisdiction");
        String reason = Bodies.text(body, "reason");
        String problem = transfers.problem(to, reason);
        if (problem != null) {
            Replies.error(ctx, 400, "invalid_request", problem);
            return;
        }
        CaseDecision.run(ctx, blocking, ledger,
                (id, caller) -> transfers.handOver(id, to, reason, caller.actor()).orElseThrow(),
                t -> Replies.json(ctx, 201, json(t)));
    }

    /** {@code ?direction=out|in} (out), {@code escalated=true} (only escalated, unacknowledged), {@code limit}. */
    public void list(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        String direction = Optional.ofNullable(ctx.queryParams().get("direction")).orElse("out").toUpperCase(Locale.ROOT);
        if (!direction.equals("OUT") && !direction.equals("IN")) {
            Replies.error(ctx, 400, "invalid_request", "direction must be out or in");
            return;
        }
        String escalated = Optional.ofNullable(ctx.queryParams().get("escalated")).orElse("false");
        if (!escalated.equals("true") && !escalated.equals("false")) {
            Replies.error(ctx, 400, "invalid_request", "escalated must be true or false");
            return;
        }
        int limit;
        try {
            limit = Integer.parseInt(Optional.ofNullable(ctx.queryParams().get("limit")).orElse("100"));
        } catch (NumberFormatException e) {
            Replies.error(ctx, 400, "invalid_request", "limit must be a number");
            return;
        }
        ListScope scope = ListScope.of(ctx, caller, ctx.queryParams().get("jurisdiction"));
        if (scope == null) return;
        TransferStore.Filter f = new TransferStore.Filter(Transfer.Direction.valueOf(direction), escalated.equals("true"),
                scope.prefix(), Math.max(1, Math.min(limit, 1000)));
        blocking.run(() -> store.list(f)).onSuccess(found -> {
            JsonArray out = new JsonArray();
            found.forEach(t -> out.add(json(t)));
            Replies.json(ctx, 200, scope.describe(new JsonObject().put("transfers", out)));
        }).onFailure(ctx::fail);
    }

    /**
     * Sends a refused (or peerless) transfer again once the peer's configuration is fixed. Whoever sees the transfer
     * ({@link #list}: filed within the token's prefix) may, whatever its role, as any token may hand a case of its
     * scope over: the scope decides, as for ledger deliveries. 200 with the transfer, back to SENDING; 404 unknown or
     * outside the scope; 409 when it is not refused or still no peer serves its jurisdiction.
     */
    public void retry(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        String id = ctx.pathParam("id");
        if (!CaseId.looksValid(id)) {
            Replies.error(ctx, 404, "not_found", "no transfer with this id in your jurisdiction");
            return;
        }
        blocking.run(() -> {
            try {
                return new Retried(transfers.retry(id, caller.jurisdictionPrefix(), caller.actor()), null);
            } catch (IllegalStateException e) {
                return new Retried(Optional.empty(), e.getMessage());
            }
        }).onSuccess(r -> {
            if (r.conflict() != null) Replies.error(ctx, 409, "conflict", r.conflict());
            else if (r.transfer().isEmpty()) Replies.error(ctx, 404, "not_found", "no transfer with this id in your jurisdiction");
            else Replies.json(ctx, 200, json(r.transfer().get()));
        }).onFailure(ctx::fail);
    }

    private record Retried(Optional<Transfer> transfer, String conflict) {}

    /** A peer hands a person to us: 201 with our case id (200 when delivered before), 422 when the row is refused. */
    public void receive(RoutingContext ctx) {
        Signed signed = signedBody(ctx);
        if (signed == null) return;
        byte[] raw = signed.body();
        TransferPayload.Incoming in;
        try {
            in = TransferPayload.readTransfer(raw);
        } catch (IllegalArgumentException e) {
            Replies.error(ctx, 400, "invalid_request", e.getMessage());
            return;
        }
        if (!in.fromPrefix().equals(ctx.request().getHeader(PEER_HEADER))) {
            Replies.error(ctx, 400, "invalid_request", "from.jurisdiction must be the signing peer's prefix");
            return;
        }
        blocking.run(() -> intake.receive(in)).onSuccess(r -> {
            if (r.rejected() != null) {
                Replies.json(ctx, 422, new JsonObject().put("error", "rejected").put("field", r.rejected().field())
                        .put("message", r.rejected().message()));
                return;
            }
            Replies.json(ctx, r.first() ? 201 : 200, new JsonObject().put("transferId", in.transferId())
                    .put("caseId", r.caseId()));
        }).onFailure(ctx::fail);
    }

    /** The receiving peer confirms one of our transfers; only the peer it was sent to may. */
    public void ack(RoutingContext ctx) {
        Signed signed = signedBody(ctx);
        if (signed == null) return;
        byte[] raw = signed.body();
        TransferPayload.Ack ack;
        try {
            ack = TransferPayload.readAck(raw);
        } catch (IllegalArgumentException e) {
            Replies.error(ctx, 400, "invalid_request", e.getMessage());
            return;
        }
        String id = ctx.pathParam("id");
        if (!id.equals(ack.transferId())) {
            Replies.error(ctx, 400, "invalid_request", "transferId does not match the path");
            return;
        }
        String peer = signed.peer().prefix();
        blocking.run(() -> {
            Optional<Transfer> t = store.find(Transfer.Direction.OUT, id);
            if (t.isEmpty()) return Map.entry(404, "no transfer with this id");
            if (!t.get().peerPrefix().equals(peer)) return Map.entry(403, "this transfer was not sent to " + peer);
            transfers.acknowledge(id, ack.caseId());
            return Map.entry(200, "");
        }).onSuccess(r -> {
            if (r.getKey() == 200) Replies.json(ctx, 200, new JsonObject().put("transferId", id).put("acknowledged", true));
            else Replies.error(ctx, r.getKey(), r.getKey() == 404 ? "not_found" : "forbidden", r.getValue());
        }).onFailure(ctx::fail);
    }

    private record Signed(TransferRoutes.Peer peer, byte[] body) {}

    /** The configured peer serving the named sender and the raw body it signed; null after answering 403. */
    private Signed signedBody(RoutingContext ctx) {
        Optional<TransferRoutes.Peer> peer = transfers.routes().sender(ctx.request().getHeader(PEER_HEADER));
        byte[] raw = ctx.body() == null || ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
        if (peer.isEmpty() || !new FeedSignature(peer.get().key()).verify(raw, ctx.request().getHeader(FeedSignature.HEADER))) {
            Replies.error(ctx, 403, "forbidden", "unknown peer or bad signature");
            return null;
        }
        return new Signed(peer.get(), raw);
    }

    private JsonObject json(Transfer t) {
        DateTimeFormatter f = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
        return new JsonObject()
                .put("id", t.id())
                .put("direction", t.direction().name().toLowerCase(Locale.ROOT))
                .put("caseId", t.caseId())
                .put("peer", t.peerPrefix())
                .put("toJurisdiction", t.toJurisdiction())
                .put("reason", t.reason())
                .put("status", t.status().name())
                .put("createdAt", f.format(t.createdAt().atZone(zone)))
                .put("ackBy", f.format(t.ackBy().atZone(zone)))
                .put("acknowledgedAt", t.ackedAt() == null ? null : f.format(t.ackedAt().atZone(zone)))
                .put("escalatedAt", t.escalatedAt() == null ? null : f.format(t.escalatedAt().atZone(zone)))
                .put("attempts", t.attempts())
                .put("lastError", t.lastError())
                .put("peerCaseId", t.peerCaseId())
                .put("actions", Transfers.retryable(t) ? new JsonArray().add("retry") : new JsonArray());
    }
}
