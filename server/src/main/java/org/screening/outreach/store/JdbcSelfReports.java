package org.screening.outreach.store;

import java.time.Instant;
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

    @Override
    public Optional<Instant> lastReportAt(String caseId) {
        return ledger.events(caseId).stream().filter(e -> e.type().equals(LedgerEvent.SELF_REPORT))
                .map(LedgerEvent::at).max(Instant::compareTo);
    }

    /** The same answers as the case's last report are not a new report: nothing is written. */
    @Override
    public boolean record(String caseId, Map<String, String> answers, Instant now) {
        return updates.applyUnlessRepeated(caseId, LedgerEvent.SELF_REPORT, answers,
                c -> progress.afterSelfReport(c, answers, now), now).isPresent();
    }
}
