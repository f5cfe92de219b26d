package org.screening.outreach.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;

/**
 * The figures behind the SLA dashboard for a jurisdiction prefix and a range of days (in {@code zone}), counted as
 * the daily report counts them: by day of receipt, "reached in time" = reached by the deadline, "overdue" = the
 * deadline passed unreached (a case handed to its home jurisdiction before its deadline is neither).
 */
public interface SlaFigures {
    record Day(LocalDate date, long received, long reachedInTime, long overdue) {}

    record CategoryShare(Category category, long received, long reachedInTime) {}

    /** A case whose deadline passed unreached: what it is and where it stands now. */
    record Breach(String caseId, String name, Category category, String jurisdiction, Instant deadlineAt,
                  CaseStatus status, Instant reachedAt, String doorKnockReason) {}

    List<Day> days(String prefix, LocalDate from, LocalDate to, ZoneId zone, Instant now);

    List<CategoryShare> byCategory(String prefix, LocalDate from, LocalDate to, ZoneId zone);

    /** Most overdue first. */
    List<Breach> breaches(String prefix, LocalDate from, LocalDate to, ZoneId zone, Instant now, int limit);
}
