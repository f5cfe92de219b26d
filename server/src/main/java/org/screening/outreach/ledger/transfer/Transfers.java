package org.screening.outreach.ledger.transfer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.Transfer;

/**
 * Handing a case to the jurisdiction it belongs to, and taking the acknowledgement back. The case leaves this
 * deployment's work at once (TRANSFERRED: no more calls, door knocks withdrawn); the transfer itself is sent by
 * {@link DeliverTransfersJob} and chased by {@link EscalateTransfersJob}.
 */
public final class Transfers {
    public static final String CREATED = "TRANSFER_CREATED";
    public static final String DELIVERED = "TRANSFER_DELIVERED";
    public static final String ACKNOWLEDGED = "TRANSFER_ACKNOWLEDGED";
    public static final String REFUSED = "TRANSFER_REFUSED";
    public static final String ESCALATED = "TRANSFER_ESCALATED";
    public static final String RECEIVED = "TRANSFER_RECEIVED";
    public static final String RETRIED = "TRANSFER_RETRIED";
    static final String ACTOR = "transfer";

    private final TransferStore store;
    private final TransferRoutes routes;
    private final Duration escalateAfter;
    private final Clock clock;
    private final Runnable onEscalated;

    public Transfers(TransferStore store, TransferRoutes routes, Duration escalateAfter, Clock clock) {
        this(store, routes, escalateAfter, clock, () -> {});
    }

    /** {@code onEscalated}: counts a transfer escalated as it is made (no peer), as the jobs count theirs. */
    public Transfers(TransferStore store, TransferRoutes routes, Duration escalateAfter, Clock clock,
                     Runnable onEscalated) {
        if (escalateAfter.isNegative() || escalateAfter.isZero() || escalateAfter.compareTo(Transfer.ACK_WITHIN) >= 0) {
            throw new IllegalArgumentException("escalation must come before the hour is up");
        }
        this.store = store;
        this.routes = routes;
        this.escalateAfter = escalateAfter;
        this.clock = clock;
        this.onEscalated = onEscalated;
    }

    public TransferRoutes routes() {
        return routes;
    }

    /** Why a hand-over request cannot be taken as it is (null: it can). */
    public String problem(String toJurisdiction, String reason) {
        if (toJurisdiction == null || !toJurisdiction.matches("\\d{2,12}")) {
            return "jurisdiction must be the 2 to 12 leading digits of the statistical division code";
        }
        if (!routes.ownPrefix().isEmpty() && routes.isOurs(Transfer.fullCode(toJurisdiction))) {
            return "jurisdiction " + toJurisdiction + " is within this deployment (" + routes.ownPrefix() + ")";
        }
        if (reason == null || reason.isBlank() || reason.length() > 500) return "reason is required (up to 500 characters)";
        return null;
    }

    /**
     * Hands the case to {@code toJurisdiction}. Empty when there is no such case; IllegalStateException (with a
     * message for the caller) when the case cannot be transferred as it stands. Without a peer for the jurisdiction
     * the transfer is escalated at once: a person must not wait an hour for a request that cannot be sent.
     */
    public Optional<Transfer> handOver(String caseId, String toJurisdiction, String reason, String actor) {
        Instant now = nowMillis(clock);
        String code = Transfer.fullCode(toJurisdiction);
        return counted(store.handOver(caseId, rc -> {
            if (code.equals(rc.jurisdiction()) && routes.isOurs(code)) {
                throw new IllegalStateException("the case is already in " + code);
            }
            return decide(rc, code, reason, actor, now, now);
        }, now));
    }

    private Optional<Transfer> counted(Optional<Transfer> made) {
        made.filter(Transfer::escalated).ifPresent(t -> onEscalated.run());
        return made;
    }

    /** {@code hourFrom}: when the hour for the receipt began (the hand-over, or the push's arrival for a foreign one). */
    private TransferStore.HandOver decide(RiskCase rc, String code, String reason, String actor, Instant hourFrom,
                                          Instant now) {
        Optional<TransferRoutes.Peer> peer = routes.route(code);
        Instant escalateAt = hourFrom.plus(escalateAfter).isAfter(now) ? hourFrom.plus(escalateAfter) : now;
        CaseProgress.Step moved = CaseProgress.decidedByStaff(rc, CaseStatus.TRANSFERRED, now, actor,
                "transferred to " + code + ": " + reason);
        String id = CaseId.next(now);
        Transfer t = new Transfer(id, Transfer.Direction.OUT, rc.id(), peer.map(TransferRoutes.Peer::prefix).orElse(""),
                code, reason, peer.isPresent() ? Transfer.Status.SENDING : Transfer.Status.NO_PEER, now,
                hourFrom.plus(Transfer.ACK_WITHIN), peer.isPresent() ? escalateAt : now, null,
                peer.isPresent() ? null : now, 0, peer.isPresent() ? null : "no peer configured for " + code, null);
        java.util.List<LedgerEvent> events = new java.util.ArrayList<>();
        Map<String, Object> d = data(t);
        d.put("peer", t.peerPrefix());
        events.add(new LedgerEvent(rc.id(), CREATED, now, actor, d));
        if (peer.isEmpty()) events.add(escalation(t, now, "no peer endpoint is configured for " + code));
        return new TransferStore.HandOver(new CaseProgress.Step(moved.changes(), true, true, Optional.empty(),
                events, Optional.empty()), t);
    }

    /**
     * Hands a NEW case pushed here for another jurisdiction to that jurisdiction; its jurisdiction code, or null when
     * the case is gone or has become ours meanwhile. Its hour began when the push arrived here, not when this job
     * came to it: a hand-over held up (no dispatching node for a while) is escalated, and a late receipt counted late.
     */
    public String handOverForeign(String caseId) {
        Instant now = nowMillis(clock);
        String[] to = new String[1];
        counted(store.handOver(caseId, rc -> {
            if (routes.isOurs(rc.jurisdiction())) throw new IllegalStateException("the case is ours");
            to[0] = rc.jurisdiction();
            Instant arrived = rc.receivedAt().isBefore(now) ? rc.receivedAt() : now;
            return decide(rc, rc.jurisdiction(), "jurisdiction outside this deployment (" + routes.ownPrefix() + ")",
                    ACTOR, arrived, now);
        }, now));
        return to[0];
    }

    /** Transfers as the filter picks them, newest first (the county task force list with {@code escalatedOnly}). */
    public java.util.List<Transfer> list(TransferStore.Filter filter) {
        return store.list(filter);
    }

    /**
     * Whether staff can send it again: the peer refused it, none was configured (both fixed by configuration), or it
     * was delivered but its receipt never came by the escalation point (the peer's acknowledgement may have been
     * refused here or given up; a repeated delivery makes the peer acknowledge again).
     */
    public static boolean retryable(Transfer t) {
        if (t.direction() != Transfer.Direction.OUT || t.acknowledged()) return false;
        return t.status() == Transfer.Status.REFUSED || t.status() == Transfer.Status.NO_PEER
                || t.status() == Transfer.Status.DELIVERED && t.escalated();
    }

    /**
     * Sends a refused, peerless or unconfirmed transfer again (see {@link #retryable}), to the peer now configured for its jurisdiction (once the peer's
     * configuration is fixed), with a TRANSFER_RETRIED event naming who asked. It stays on the task force list until
     * acknowledged. Empty when no such transfer is filed under {@code scopePrefix}; IllegalStateException (with a
     * message for the caller) when it is not refused or no peer serves its jurisdiction yet.
     */
    public Optional<Transfer> retry(String id, String scopePrefix, String actor) {
        Instant now = nowMillis(clock);
        return store.resend(id, scopePrefix, t -> {
            if (!retryable(t)) {
                throw new IllegalStateException("the transfer is " + t.status() + ": only one refused, without a "
                        + "receiving system, or delivered but unconfirmed past its escalation point is sent again");
            }
            TransferRoutes.Peer peer = routes.route(t.toJurisdiction()).orElseThrow(() -> new IllegalStateException(
                    "no peer endpoint is configured for " + t.toJurisdiction() + " yet"));
            Map<String, Object> d = data(t);
            d.put("peer", peer.prefix());
            d.put("after", t.status().name());
            return new TransferStore.Resend(peer.prefix(), new LedgerEvent(t.caseId(), RETRIED, now, actor, d));
        }, now);
    }

    /** The receiver confirmed receipt. Empty when the transfer is unknown. */
    public Optional<Transfer> acknowledge(String id, String peerCaseId) {
        Instant now = nowMillis(clock);
        return store.acknowledge(id, peerCaseId, now, t -> {
            Map<String, Object> d = data(t);
            d.put("peerCase", peerCaseId);
            d.put("withinHour", !now.isAfter(t.ackBy()));
            return new LedgerEvent(t.caseId(), ACKNOWLEDGED, now, ACTOR, d);
        });
    }

    static LedgerEvent escalation(Transfer t, Instant now, String why) {
        Map<String, Object> d = data(t);
        d.put("reason", why);
        return new LedgerEvent(t.caseId(), ESCALATED, now, ACTOR, d);
    }

    static Instant nowMillis(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static Map<String, Object> data(Transfer t) {
        Map<String, Object> d = new HashMap<>();
        d.put("transfer", t.id());
        d.put("toJurisdiction", t.toJurisdiction()); // not "to": that key names a status on STATUS_CHANGED
        d.put("ackBy", t.ackBy().toString());
        return d;
    }

}
