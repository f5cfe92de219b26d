package org.screening.outreach.ledger.transfer;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.Transfer;

/** Storage of transfers; each method is one transaction, and every ledger event it is given is written with it. */
public interface TransferStore {
    /** What handing a case over does: the case's step (to TRANSFERRED, calls and door knocks stopped) and the row. */
    record HandOver(CaseProgress.Step step, Transfer transfer) {}

    /**
     * Locks the case, lets {@code decide} see it as it is under the lock, applies the step and inserts the transfer.
     * Empty when there is no such case; {@code decide} throws IllegalStateException when the case cannot move.
     */
    Optional<Transfer> handOver(String caseId, Function<RiskCase, HandOver> decide, Instant now);

    /**
     * A claimed transfer (OUT to send, or IN whose acknowledgement is to be sent), the token that settles it, and
     * when its current run of sending began (the hand-over, or the last retry): it is given up a day after that.
     */
    record Claim(Transfer transfer, String token, Instant sendingSince) {}

    /** Up to {@code limit} transfers due to be sent, each held until {@code leaseUntil}; SKIP LOCKED between nodes. */
    List<Claim> claimDue(Instant now, Instant leaseUntil, int limit);

    /**
     * How a send ended: the new status, when to try again (null: never), the error, the events, and the escalation
     * event when the send puts the transfer on the task force list (null: it does not).
     */
    record Settlement(Transfer.Status status, Instant nextTryAt, String lastError, List<LedgerEvent> events,
                      LedgerEvent escalation) {
        public Settlement {
            events = List.copyOf(events);
        }
    }

    /** What settling did. */
    enum Settled {
        /** The claim was lost (lease ran out, or the transfer moved on, e.g. acknowledged meanwhile): nothing written. */
        LOST,
        SETTLED,
        /** Settled, and this settlement escalated the transfer (no other path had escalated it first). */
        ESCALATED
    }

    /**
     * Settles a claimed send. Its escalation is written only if the transfer is neither escalated nor acknowledged
     * at that moment (the escalation job or another node may have escalated it while the request was out), so a
     * transfer gets one TRANSFER_ESCALATED event whichever path comes first.
     */
    Settled settle(Claim claim, Settlement settlement);

    /** How a refused or peerless transfer is sent again: to the peer now serving its jurisdiction, with its event. */
    record Resend(String peerPrefix, LedgerEvent event) {}

    /**
     * Puts an OUT transfer filed under {@code scopePrefix} back in the sending queue at once, with a fresh day of
     * sending; {@code decide} sees it locked and throws IllegalStateException when it cannot be sent again. It
     * stays escalated (on the task force list) until the peer acknowledges it. Empty when there is no such transfer
     * in the scope.
     */
    Optional<Transfer> resend(String id, String scopePrefix, Function<Transfer, Resend> decide, Instant now);

    /** NEW cases whose jurisdiction lies outside {@code ownPrefix} (pushed here, belonging elsewhere), most urgent first. */
    List<String> newCasesOutside(String ownPrefix, int limit);

    /** OUT transfers neither acknowledged nor escalated whose escalation point has passed. */
    List<Transfer> dueForEscalation(Instant now, int limit);

    /** Marks it escalated with its event unless it was acknowledged or escalated meanwhile; false then. */
    boolean escalate(Transfer t, Instant now, LedgerEvent event);

    /**
     * Records the receiver's acknowledgement of an OUT transfer once (the first ack wins; later ones change nothing)
     * with the event {@code event} builds from the transfer. Empty when there is no such transfer.
     */
    Optional<Transfer> acknowledge(String id, String peerCaseId, Instant now, Function<Transfer, LedgerEvent> event);

    /**
     * Records an IN transfer once, with its event; false when it was recorded before (a repeated delivery), and then
     * an acknowledgement given up on (ACK_FAILED) is queued again: the sender repeats only what it saw unconfirmed.
     */
    boolean receive(Transfer in, LedgerEvent event);

    Optional<Transfer> find(Transfer.Direction direction, String id);

    /**
     * Filter of the list: direction, only escalated and unacknowledged ones, the prefix of the jurisdiction they are
     * filed under (the case's, or for a case outside this deployment the deployment's own code).
     */
    record Filter(Transfer.Direction direction, boolean escalatedOnly, String jurisdictionPrefix, int limit) {}

    List<Transfer> list(Filter filter);

    /** Transfers awaiting an acknowledgement, and those of them already escalated (for /metrics). */
    record Counts(long awaitingAck, long escalatedUnacknowledged) {}

    Counts counts();
}
