package org.screening.outreach.ledger;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import org.screening.outreach.domain.DailyReport;

/** The daily report of a jurisdiction and its children, read from the cases and their ledger. */
public interface DailyReports {
    /** {@code date} in {@code zone}; {@code now} decides which deadlines have passed. */
    DailyReport daily(LocalDate date, String jurisdictionPrefix, ZoneId zone, Instant now);
}
