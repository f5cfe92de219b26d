package org.screening.outreach.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.ledger.CaseUpdates;
import org.screening.outreach.web.report.SelfReports;

/** Self-reports through the case update path: the report decides, {@link CaseUpdates} applies. */
public final class JdbcSelfReports implements SelfReports {
    private final CaseLedger ledger;
    private final CaseUpdates updates;
    private final CaseProgress progress;

    public JdbcSelfReports(CaseLedger ledger, CaseUpdates updates, CaseProgress progress) {
        this.ledger = ledger;
        this.updates = updates;
        this.progress = progress;
    }

    @Override
    public Optional<RiskCase> find(String caseId) {
        return ledger.find(caseId);
    }

    /**
     * The same answers as the case's last report are not a new report (a double tap, a re-sent form): nothing is
     * written. Checked under the case's lock, so the second of two concurrent posts sees the first one's events.
     */
    @Override
    public boolean record(String caseId, Map<String, String> answers, Instant now) {
        return updates.apply(caseId, c -> sameAsLast(caseId, answers) ? NOTHING : progress.afterSelfReport(c, answers, now),
                now).isPresent();
    }

    private static final CaseProgress.Step NOTHING = new CaseProgress.Step(List.of(), false, false, Optional.empty(),
            List.of(), Optional.empty());

    private boolean sameAsLast(String caseId, Map<String, String> answers) {
        LedgerEvent last = null;
        for (LedgerEvent e : ledger.events(caseId)) if (LedgerEvent.SELF_REPORT.equals(e.type())) last = e;
        return last != null && last.data().equals(answers);
    }
}
