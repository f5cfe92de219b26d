package org.screening.outreach.ledger.transfer;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.Transfer;
import org.screening.outreach.intake.CaseStore;
import org.screening.outreach.intake.CaseSubmission;
import org.screening.outreach.intake.IntakeListener;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.RowError;

/**
 * The receiving side of a transfer: the person becomes a case here through normal intake (source
 * {@code transfer:<peer prefix>}, external id = the transfer id, so a repeated delivery finds the same case), with
 * a TRANSFER_RECEIVED event saying where it came from; the acknowledgement is then sent by {@link DeliverTransfersJob}.
 */
public final class TransferIntake {
    private final IntakeService intake;
    private final TransferStore store;
    private final TransferRoutes routes;
    private final Clock clock;

    public TransferIntake(IntakeService intake, TransferStore store, TransferRoutes routes, Clock clock) {
        this.intake = intake;
        this.store = store;
        this.routes = routes;
        this.clock = clock;
    }

    /** The case opened (or found again) for the transfer, or the row error that kept it out. */
    public record Result(String caseId, boolean first, RowError rejected) {}

    public Result receive(TransferPayload.Incoming in) {
        String[] caseId = new String[1];
        RowError[] rejected = new RowError[1];
        CaseSubmission row = new CaseSubmission(1, in.transferId(), in.name(), in.phone(), in.idNumber(), in.category(),
                in.toJurisdiction(), in.pushedAt(), in.language() == null ? "" : in.language());
        intake.ingest(source(in.fromPrefix()), routes.ownPrefix(), "transfer from " + in.fromPrefix(),
                sink -> sink.accept(row), new IntakeListener() {
                    @Override
                    public void stored(CaseSubmission r, CaseStore.Stored stored) {
                        caseId[0] = stored.caseId();
                    }

                    @Override
                    public void rejected(RowError error) {
                        rejected[0] = error;
                    }
                });
        if (caseId[0] == null) return new Result(null, false, rejected[0]);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // The sender's hour, not one from our receipt: a transfer that took 40 minutes to get here has 20 left, and
        // staff here must see it late when it is. A peer of an earlier version may not say; then our receipt's hour.
        Instant ackBy = in.ackBy() != null ? in.ackBy().truncatedTo(ChronoUnit.MILLIS) : now.plus(Transfer.ACK_WITHIN);
        Transfer t = new Transfer(in.transferId(), Transfer.Direction.IN, caseId[0], in.fromPrefix(), in.toJurisdiction(),
                in.reason(), Transfer.Status.ACK_PENDING, now, ackBy, now, null, null, 0, null, in.fromCaseId());
        Map<String, Object> d = new HashMap<>();
        d.put("transfer", t.id());
        d.put("from", in.fromPrefix());
        d.put("fromCase", in.fromCaseId());
        d.put("reason", in.reason());
        d.put("historyEvents", in.historyEvents());
        boolean first = store.receive(t, new LedgerEvent(caseId[0], Transfers.RECEIVED, now, Transfers.ACTOR, d));
        return new Result(caseId[0], first, null);
    }

    static String source(String fromPrefix) {
        return "transfer:" + fromPrefix;
    }
}
