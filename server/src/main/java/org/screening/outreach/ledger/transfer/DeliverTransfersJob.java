package org.screening.outreach.ledger.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.screening.outreach.dispatch.BackgroundJob;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.Transfer;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.ledger.feed.Backoff;
import org.screening.outreach.ledger.feed.LedgerSender;
import org.screening.outreach.ledger.feed.RetryAfter;
import org.screening.outreach.ledger.feed.SendResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what is due between peers: our transfers (POST {peer}/api/v1/transfers) and our acknowledgements of theirs
 * (POST {peer}/api/v1/transfers/{id}/ack), signed with the pair's key, with the feed's backoff on 5xx and timeouts.
 * At-least-once: the transfer id is the idempotency key on both sides. Runs on every node; claims keep them apart.
 */
public final class DeliverTransfersJob implements BackgroundJob {
    private static final Logger log = LoggerFactory.getLogger(DeliverTransfersJob.class);
    static final int PER_RUN = 32;
    /** A day after sending began (hand-over or retry) a transfer is given up (it was escalated long before). */
    static final Duration GIVE_UP = Duration.ofHours(24);
    private final TransferStore store;
    private final CaseLedger ledger;
    private final TransferRoutes routes;
    private final Function<TransferRoutes.Peer, LedgerSender> senders;
    private final Map<String, LedgerSender> senderByPeer = new ConcurrentHashMap<>();
    private final Backoff backoff;
    private final Clock clock;
    private final Duration lease;
    private final Runnable onEscalated;

    public DeliverTransfersJob(TransferStore store, CaseLedger ledger, TransferRoutes routes,
                               Function<TransferRoutes.Peer, LedgerSender> senders, Backoff backoff, Clock clock,
                               Duration timeout, Runnable onEscalated) {
        this.store = store;
        this.ledger = ledger;
        this.routes = routes;
        this.senders = senders;
        this.backoff = backoff;
        this.clock = clock;
        this.lease = timeout.plusSeconds(30);
        this.onEscalated = onEscalated;
    }

    @Override
    public String name() {
        return "transfers-deliver";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(1);
    }

    @Override
    public int runOnce() {
        Instant now = Transfers.nowMillis(clock);
        List<TransferStore.Claim> claims = store.claimDue(now, now.plus(lease), PER_RUN);
        List<CompletableFuture<SendResult>> sends = new ArrayList<>();
        for (TransferStore.Claim c : claims) sends.add(send(c.transfer()));
        int done = 0;
        for (int i = 0; i < claims.size(); i++) {
            TransferStore.Claim claim = claims.get(i);
            SendResult result = sends.get(i).join(); // senders never fail a future; requests end by their timeout
            TransferStore.Settlement s = settlement(claim, result, Transfers.nowMillis(clock));
            TransferStore.Settled settled = store.settle(claim, s);
            if (settled == TransferStore.Settled.LOST) {
                log.info("transfer {}: claim lost or settled meanwhile", claim.transfer().id());
                continue;
            }
            if (result.delivered()) done++;
            if (settled == TransferStore.Settled.ESCALATED) onEscalated.run();
        }
        return done;
    }

    private CompletableFuture<SendResult> send(Transfer t) {
        // OUT rows name the configured peer; IN rows the sender's own prefix, served by one configured peer.
        Optional<TransferRoutes.Peer> peer = t.direction() == Transfer.Direction.OUT ? routes.peer(t.peerPrefix())
                : routes.sender(t.peerPrefix());
        if (peer.isEmpty()) {
            return CompletableFuture.completedFuture(new SendResult(SendResult.Kind.REFUSED, null,
                    "no peer configured for " + t.peerPrefix() + " any more"));
        }
        LedgerSender sender = senderByPeer.computeIfAbsent(peer.get().prefix(), k -> senders.apply(peer.get()));
        if (t.direction() == Transfer.Direction.IN) {
            return sender.send(peer.get().baseUrl() + "/api/v1/transfers/" + t.id() + "/ack", t.id(), t.attempts() + 1,
                    TransferPayload.ack(t, routes.ownPrefix()));
        }
        Optional<RiskCase> c = ledger.find(t.caseId());
        if (c.isEmpty()) {
            return CompletableFuture.completedFuture(new SendResult(SendResult.Kind.REFUSED, null, "the case is gone"));
        }
        List<LedgerEvent> history = ledger.events(t.caseId());
        return sender.send(peer.get().baseUrl() + "/api/v1/transfers", t.id(), t.attempts() + 1,
                TransferPayload.transfer(t, routes.ownPrefix(), c.get(), history));
    }

    private TransferStore.Settlement settlement(TransferStore.Claim claim, SendResult r, Instant now) {
        Transfer t = claim.transfer();
        boolean out = t.direction() == Transfer.Direction.OUT;
        if (r.delivered()) {
            return new TransferStore.Settlement(out ? Transfer.Status.DELIVERED : Transfer.Status.ACK_SENT, null, null,
                    out ? List.of(new LedgerEvent(t.caseId(), Transfers.DELIVERED, now, Transfers.ACTOR,
                    Transfers.data(t))) : List.of(), null);
        }
        boolean giveUp = r.kind() == SendResult.Kind.REFUSED || !now.isBefore(claim.sendingSince().plus(GIVE_UP));
        if (!giveUp) {
            return new TransferStore.Settlement(t.status(), RetryAfter.next(now, backoff.after(t.attempts() + 1), r),
                    r.detail(), List.of(), null);
        }
        String why = r.kind() == SendResult.Kind.REFUSED ? "refused: " + r.detail() : "undeliverable for 24 h: " + r.detail();
        if (!out) {
            log.warn("acknowledgement of transfer {} to {} given up: {}", t.id(), t.peerPrefix(), why);
            return new TransferStore.Settlement(Transfer.Status.ACK_FAILED, null, r.detail(), List.of(), null);
        }
        log.warn("transfer {} of case {} to {} {}", t.id(), t.caseId(), t.peerPrefix(), why);
        Map<String, Object> d = Transfers.data(t);
        d.put("error", r.detail());
        // The escalation is written only if no other path escalated it first (see TransferStore.settle).
        return new TransferStore.Settlement(Transfer.Status.REFUSED, null, r.detail(),
                List.of(new LedgerEvent(t.caseId(), Transfers.REFUSED, now, Transfers.ACTOR, d)),
                Transfers.escalation(t, now, "the receiving jurisdiction did not take it (" + why + ")"));
    }
}
