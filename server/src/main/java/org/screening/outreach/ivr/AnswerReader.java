package org.screening.outreach.ivr;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.Optional;

/** Turns the keys pressed at a gather into the answer to record and the step that follows, or nothing if invalid. */
final class AnswerReader {
    /** Strict, so 20220231 is refused rather than read as 3 March. */
    private static final DateTimeFormatter KEYPAD_DATE = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);
    /** An arrival more than a year ago is no longer a recent arrival; such an entry is a mistyped date. */
    static final int OLDEST_ARRIVAL_DAYS = 366;

    record Answer(String value, String next) {}

    private AnswerReader() {}

    static Optional<Answer> read(Step.Gather g, String digits, LocalDate today) {
        if (g.accept() == Step.Accept.CHOICE) {
            Step.Choice c = g.answers().get(digits);
            return c == null ? Optional.empty() : Optional.of(new Answer(c.value(), c.next()));
        }
        return arrivalDate(digits, today).map(d -> new Answer(d.toString(), g.next()));
    }

    /** 8 digits are a date (YYYYMMDD); 1 or 2 digits are "days ago", 0 meaning today. Never in the future. */
    static Optional<LocalDate> arrivalDate(String digits, LocalDate today) {
        LocalDate date;
        if (digits.matches("[0-9]{1,2}")) {
            date = today.minusDays(Integer.parseInt(digits));
        } else if (digits.matches("[0-9]{8}")) {
            try {
                date = LocalDate.parse(digits, KEYPAD_DATE);
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        } else {
            return Optional.empty();
        }
        if (date.isAfter(today) || date.isBefore(today.minusDays(OLDEST_ARRIVAL_DAYS))) return Optional.empty();
        return Optional.of(date);
    }
}
