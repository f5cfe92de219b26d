package org.screening.outreach.intake;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;

/**
 * Reads the push time in the forms lists come in: ISO-8601 with offset, or a local date-time
 * ("2022-04-01 08:30", "2022/4/1 8:30:00", "2022-04-01T08:30") taken in the deployment's zone.
 */
final class PushedAtParser {
    private static final List<DateTimeFormatter> LOCAL = List.of(
            local("yyyy-M-d"), local("yyyy/M/d"), DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    private final ZoneId zone;

    PushedAtParser(ZoneId zone) {
        this.zone = zone;
    }

    private static DateTimeFormatter local(String datePattern) {
        return new DateTimeFormatterBuilder()
                .appendPattern(datePattern)
                .optionalStart().appendLiteral(' ').appendPattern("H:mm").optionalStart().appendPattern(":ss")
                .optionalEnd().optionalEnd()
                .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
                .toFormatter();
    }

    /** Null for an empty value; throws DateTimeException with a readable message when it cannot be read. */
    Instant parse(String text) {
        if (text == null || text.isBlank()) return null;
        String t = text.strip();
        // Each form is tried only when the text has the separator it needs (a failed parse throws, which is slow
        // for a million rows); the forms and their order are otherwise unchanged.
        boolean hasT = t.indexOf('T') >= 0 || t.indexOf('t') >= 0;
        if (hasT) {
            try {
                return OffsetDateTime.parse(t).toInstant();
            } catch (DateTimeParseException ignored) {
                // not ISO with offset; try local forms
            }
        }
        for (int i = 0; i < LOCAL.size(); i++) {
            if (!mayMatch(i, t, hasT)) continue;
            try {
                return LocalDateTime.parse(t, LOCAL.get(i)).atZone(zone).toInstant();
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new DateTimeException("pushedAt must be a date-time such as 2022-04-01 08:30 or 2022-04-01T08:30:00+08:00");
        }
    }

    /** yyyy-M-d and yyyy/M/d need their date separator and no 'T'; ISO local date-time needs a 'T'. */
    private static boolean mayMatch(int form, String t, boolean hasT) {
        return switch (form) {
            case 0 -> !hasT && t.indexOf('-') >= 0;
            case 1 -> !hasT && t.indexOf('/') >= 0;
            default -> hasT;
        };
    }
}
