package org.screening.outreach.domain;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/** A nightly window (default 22:00–07:00 Asia/Shanghai) in which non-urgent contact waits for the morning. */
public record QuietHours(LocalTime start, LocalTime end, ZoneId zone) {

    public static QuietHours defaults() {
        return new QuietHours(LocalTime.of(22, 0), LocalTime.of(7, 0), ZoneId.of("Asia/Shanghai"));
    }

    public boolean contains(Instant t) {
        LocalTime local = t.atZone(zone).toLocalTime();
        return start.isAfter(end)
                ? !local.isBefore(start) || local.isBefore(end)
                : !local.isBefore(start) && local.isBefore(end);
    }

    /** {@code t} itself outside the window, else the end of the window it falls in. */
    public Instant release(Instant t) {
        if (!contains(t)) return t;
        ZonedDateTime z = t.atZone(zone);
        ZonedDateTime endToday = z.with(end);
        return (endToday.isAfter(z) ? endToday : endToday.plusDays(1)).toInstant();
    }
}
