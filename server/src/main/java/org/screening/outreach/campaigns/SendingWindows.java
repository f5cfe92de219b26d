package org.screening.outreach.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import org.screening.outreach.domain.QuietHours;

/**
 * The time a campaign can send in: outside its quiet hours (null: none). Its rate is measured over this time, not
 * over the hours it waited for its start or the nights it was held (a campaign that ran through a night would
 * otherwise report a third of its real rate, and an ETA three times too long), and its ETA walks over the nights
 * ahead.
 */
final class SendingWindows {
    /** More steps than any real question needs (a night each); a longer walk answers "unknown". */
    private static final int MAX_STEPS = 10_000;

    private SendingWindows() {}

    /** Time in [{@code from}, {@code to}) outside the quiet hours; zero when {@code to} is not after {@code from}. */
    static Duration open(Instant from, Instant to, QuietHours quiet) {
        if (!to.isAfter(from)) return Duration.ZERO;
        if (quiet == null) return Duration.between(from, to);
        Duration total = Duration.ZERO;
        Instant t = from;
        for (int step = 0; step < MAX_STEPS && t.isBefore(to); step++) {
            if (quiet.contains(t)) {
                t = quiet.release(t);
                continue;
            }
            Instant end = min(nextQuietStart(t, quiet), to);
            total = total.plus(Duration.between(t, end));
            t = end;
        }
        return total;
    }

    /** When {@code sending} of open time will have passed, counting from {@code from}; null when too far to tell. */
    static Instant after(Instant from, Duration sending, QuietHours quiet) {
        if (quiet == null) return from.plus(sending);
        Duration left = sending;
        Instant t = from;
        for (int step = 0; step < MAX_STEPS; step++) {
            if (quiet.contains(t)) t = quiet.release(t);
            Instant next = nextQuietStart(t, quiet);
            Duration open = Duration.between(t, next);
            if (left.compareTo(open) <= 0) return t.plus(left);
            left = left.minus(open);
            t = next;
        }
        return null;
    }

    /** The next start of the quiet hours strictly after {@code t}. */
    private static Instant nextQuietStart(Instant t, QuietHours quiet) {
        ZonedDateTime z = t.atZone(quiet.zone());
        ZonedDateTime start = z.with(quiet.start());
        return (start.isAfter(z) ? start : start.plusDays(1)).toInstant();
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
