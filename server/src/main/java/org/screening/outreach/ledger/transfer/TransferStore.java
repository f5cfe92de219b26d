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

    /** A claimed transfer (OUT to send, or IN whose acknowledgement is to be sent) and the token that settles it. */
    record Claim(Transfer transfer, String token) {}

    /** Up to {@code limit} transfers due to be sent, each held until {@code leaseUntil}; SKIP LOCKED between nodes. */
    List<Claim> claimDue(Instant now, Instant leaseUntil, int limit);

    /** How a send ended: the new status, when to try again (null: never), the error, escalation, events. */
    record Settlement(Transfer.Status status, Instant nextTryAt, String lastError, Instant escalatedAt,
                      List<LedgerEvent> events) {
        public Settlement {
            events = List.copyOf(events);
        }
    }

    /** False when the claim was lost (lease ran out, or the transfer moved on, e.g. acknowledged meanwhile). */
    boolean settle(Claim claim, Settlement settlement);

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

    /** Records an IN transfer once, with its event; false when it was recorded before (a repeated delivery). */
    boolean receive(Transfer in, LedgerEvent event);

    Optional<Transfer> find(Transfer.Direction direction, String id);

    /** Filter of the list: direction, only escalated and unacknowledged ones, the cases' jurisdiction prefix. */
    record Filter(Transfer.Direction direction, boolean escalatedOnly, String jurisdictionPrefix, int limit) {}

    List<Transfer> list(Filter filter);

    /** Transfers awaiting an acknowledgement, and those of them already escalated (for /metrics). */
    record Counts(long awaitingAck, long escalatedUnacknowledged) {}

    Counts counts();
}
