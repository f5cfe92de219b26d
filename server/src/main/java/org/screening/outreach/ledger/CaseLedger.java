package org.screening.outreach.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;

/** Reading cases and their ledger, and the only way to change a case: with its event, atomically. */
public interface CaseLedger {

    /** Filters of the case list; null means "any". {@code after} is the last id of the previous page. */
    record Filter(String jurisdictionPrefix, CaseStatus status, Category category, Boolean overdue, Instant now,
                  String after, int limit) {}

    record Page(List<RiskCase> cases, String next) {}

    Optional<RiskCase> find(String caseId);

    List<LedgerEvent> events(String caseId);

    Page list(Filter filter);

    void append(LedgerEvent event);

    /** Applies the change only if the case is still in {@code change.event()}'s "from" status; false otherwise. */
    boolean apply(RiskCase.StatusChange change);
}
