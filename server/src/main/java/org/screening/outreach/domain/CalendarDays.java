package org.screening.outreach.domain;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Days typed by users for reports and exports. */
public final class CalendarDays {
    private CalendarDays() {}

    /**
     * A day such as 2022-04-01, in the years the ledger can hold; empty otherwise. The ISO parser also takes
     * +999999999-12-31, whose next midnight overflows an Instant and a DATETIME column.
     */
    public static Optional<LocalDate> parse(String text) {
        try {
            LocalDate d = LocalDate.parse(text.strip());
            return d.getYear() >= 2000 && d.getYear() <= 2999 ? Optional.of(d) : Optional.empty();
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
