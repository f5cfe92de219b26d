package org.screening.outreach.intake;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;

/**
 * Reads the push time in the forms lists come in: a date written 2022-04-01, 2022/4/1, 2022.4.1 or 2022年4月1日,
 * then optionally, after a space or 'T' (or nothing after 日), a time H:mm with seconds and their fraction if given
 * (2022-04-01 08:30:00.0 as databases export it), then optionally an offset (+08:00, Z). Without an offset the time
 * is local to the deployment's zone.
 */
final class PushedAtParser {
    private static final DateTimeFormatter DASHES = form("uuuu-M-d");
    private static final DateTimeFormatter SLASHES = form("uuuu/M/d");
    private static final DateTimeFormatter DOTS = form("uuuu.M.d");
    private static final DateTimeFormatter NIAN_YUE_RI = form("uuuu年M月d日");
    private final ZoneId zone;

    PushedAtParser(ZoneId zone) {
        this.zone = zone;
    }

    /** STRICT, so 2022-02-30 is unreadable rather than quietly 2022-02-28. */
    private static DateTimeFormatter form(String datePattern) {
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendPattern(datePattern)
                .optionalStart().appendLiteral(' ').optionalEnd()
                .optionalStart().appendLiteral('T').optionalEnd()
                .optionalStart().appendPattern("H:mm")
                .optionalStart().appendPattern(":ss").appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
                .optionalEnd()
                .optionalStart().appendOffsetId().optionalEnd()
                .parseDefaulting(ChronoField.HOUR_OF_DAY, 0)
                .parseDefaulting(ChronoField.MINUTE_OF_HOUR, 0)
                .parseDefaulting(ChronoField.SECOND_OF_MINUTE, 0)
                .toFormatter()
                .withResolverStyle(ResolverStyle.STRICT);
    }

    /** Null for an empty value; throws DateTimeException with a readable message when it cannot be read. */
    Instant parse(String text) {
        if (text == null || text.isBlank()) return null;
        String t = text.strip();
        DateTimeFormatter form = formAfterYear(t);
        if (form != null) {
            try {
                // Asking for the offset first, rather than parseBest, spares the common local value a thrown exception.
                TemporalAccessor read = form.parse(t);
                return read.isSupported(ChronoField.OFFSET_SECONDS) ? OffsetDateTime.from(read).toInstant()
                        : LocalDateTime.from(read).atZone(zone).toInstant();
            } catch (DateTimeException ignored) {
                // unreadable, said below without the parser's internals
            }
        }
        throw new DateTimeException("pushedAt must be a date-time such as 2022-04-01 08:30, 2022年4月1日 08:30 or "
                + "2022-04-01T08:30:00+08:00");
    }

    /**
     * The one form the character after the year's digits calls for: a failed parse throws, which is slow for a
     * million rows, so each value gets a single attempt.
     */
    private static DateTimeFormatter formAfterYear(String t) {
        int i = 0;
        while (i < t.length() && t.charAt(i) >= '0' && t.charAt(i) <= '9') i++;
        if (i == 0 || i == t.length()) return null;
        return switch (t.charAt(i)) {
            case '-' -> DASHES;
            case '/' -> SLASHES;
            case '.' -> DOTS;
            case '年' -> NIAN_YUE_RI;
            default -> null;
        };
    }
}
