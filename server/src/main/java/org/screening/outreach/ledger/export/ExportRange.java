package org.screening.outreach.ledger.export;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import org.screening.outreach.domain.Jurisdiction;

/**
 * What a ledger export covers: the cases under a jurisdiction prefix ("" = the whole deployment) and the events
 * that happened from the first day to the last (both included), days in the deployment's zone.
 *
 * <p>At most {@link #MAX_DAYS} days: one calendar month, the longest period a level reports on. It also keeps a busy
 * county's month within one spreadsheet sheet (Excel stops at 1,048,576 rows) and the build of one file within tens
 * of seconds of one worker; a longer period is several exports.
 */
public record ExportRange(String jurisdictionPrefix, LocalDate from, LocalDate to) {
    public static final int MAX_DAYS = 31;

    /** What is wrong with a requested range, for a message in the caller's language. */
    public enum Problem { JURISDICTION, DATE, ORDER, TOO_LONG }

    /** A range that cannot be exported; the message (English) is for API callers. */
    public static final class Invalid extends IllegalArgumentException {
        private final Problem problem;

        Invalid(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    public ExportRange {
        if (!Jurisdiction.isValidPrefix(jurisdictionPrefix)) {
            throw new Invalid(Problem.JURISDICTION, "jurisdiction must be up to 12 digits of a division code");
        }
        if (from.isAfter(to)) throw new Invalid(Problem.ORDER, "from (" + from + ") is after to (" + to + ")");
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_DAYS) {
            throw new Invalid(Problem.TOO_LONG, "from " + from + " to " + to + " is " + days + " days; an export covers at most "
                    + MAX_DAYS + " days (export a longer period a month at a time)");
        }
    }

    /**
     * From the request's text: {@code from} and {@code to} as days such as 2022-04-01; a missing {@code to} is
     * {@code from}, a missing {@code from} is {@code to}, both missing is {@code today}.
     *
     * @throws Invalid with a message for the caller
     */
    public static ExportRange parse(String jurisdictionPrefix, String from, String to, LocalDate today) {
        LocalDate f = day("from", from);
        LocalDate t = day("to", to);
        if (f == null && t == null) f = t = today;
        else if (f == null) f = t;
        else if (t == null) t = f;
        return new ExportRange(jurisdictionPrefix, f, t);
    }

    private static LocalDate day(String name, String text) {
        if (text == null || text.isBlank()) return null;
        return org.screening.outreach.domain.CalendarDays.parse(text)
                .orElseThrow(() -> new Invalid(Problem.DATE, name + " must be a day such as 2022-04-01"));
    }

    public Instant start(ZoneId zone) {
        return from.atStartOfDay(zone).toInstant();
    }

    /** The first instant after the range. */
    public Instant end(ZoneId zone) {
        return to.plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** {@code ledger-510104-2022-04-01-2022-04-07.csv}: digits, dates and ASCII only, safe in any header. */
    public String fileName(ExportFormat format) {
        return "ledger-" + (jurisdictionPrefix.isEmpty() ? "all" : jurisdictionPrefix) + "-" + from + "-" + to + "."
                + format.extension();
    }
}
