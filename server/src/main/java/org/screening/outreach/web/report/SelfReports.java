package org.screening.outreach.web.report;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.RiskCase;

/** Where self-reports go: the case's ledger, with the status change the answers call for. */
public interface SelfReports {
    Optional<RiskCase> find(String caseId);

    /** When the case's latest self-report was received; empty when none was. */
    Optional<Instant> lastReportAt(String caseId);

    /** Records the answers (first-check keys plus address and district) and moves the case; false if no case. */
    boolean record(String caseId, Map<String, String> answers, Instant now);
}
