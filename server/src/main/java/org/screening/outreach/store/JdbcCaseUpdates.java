package org.screening.outreach.store;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseUpdates;

/** SQL behind {@link CaseUpdates}, for decisions made outside the dispatcher (self-reports, other systems). */
public final class JdbcCaseUpdates implements CaseUpdates {
    private final Database db;

    public JdbcCaseUpdates(Database db) {
        this.db = db;
    }

    @Override
    public Optional<RiskCase> apply(String caseId, Function<RiskCase, CaseProgress.Step> decide, Instant now) {
        return Tx.run(db, "updating a case", c -> {
            Optional<RiskCase> rc = Sql.lockCase(c, caseId);
            if (rc.isEmpty()) return Optional.empty();
            CaseProgress.Step step = decide.apply(rc.get());
            RiskCase after = rc.get();
            for (LedgerEvent e : step.events()) Sql.insertEvent(c, e);
            for (RiskCase.StatusChange change : step.changes()) {
                if (!Sql.applyStatusChange(c, change)) break;
                after = change.after();
            }
            if (step.cancelCalls()) CaseEffects.cancelPlannedCalls(c, caseId);
            if (step.cancelDoorKnocks()) CaseEffects.withdrawDoorKnocks(c, caseId, now, "settled outside the phone plan");
            return Optional.of(after);
        });
    }
}
