package org.screening.outreach.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Map;
import org.screening.outreach.domain.QuietHours;

/**
 * One bulk SMS campaign as stored. {@code body} is the text every recipient gets (rendered once at creation);
 * {@code quietHours} is "HH:mm-HH:mm" in the deployment's zone, or null for none. The row counts are those known
 * at import (data rows read, rows without a valid mobile number, repeats of a number already in the campaign).
 */
public record Campaign(long id, String name, String template, String lang, Map<String, String> variables, String body,
                       String jurisdictionPrefix, String createdBy, Instant createdAt, Instant startAt,
                       String quietHours, CampaignStatus status, int totalRows, int invalidRows, int duplicateRows,
                       long activeMillis, Instant runningSince, Instant finishedAt) {

    /**
     * Time the campaign could send up to {@code now}: running, past its start time and outside its quiet hours (in
     * {@code zone}, the deployment's). Pauses, the wait for the start and the nights are left out: the rate is
     * measured over it. {@code activeMillis} is what earlier running stretches banked of it.
     */
    public Duration sendingTime(Instant now, ZoneId zone) {
        Duration d = Duration.ofMillis(activeMillis);
        if (runningSince == null) return d;
        Instant from = startAt != null && startAt.isAfter(runningSince) ? startAt : runningSince;
        return d.plus(SendingWindows.open(from, now, quiet(zone)));
    }

    /** Its quiet hours in {@code zone}; null for none. */
    public QuietHours quiet(ZoneId zone) {
        if (quietHours == null) return null;
        String[] p = quietHours.split("-");
        return new QuietHours(LocalTime.parse(p[0]), LocalTime.parse(p[1]), zone);
    }

    /**
     * When {@code sending} more of open time will have passed, from {@code now} (or its start, if later), over its
     * quiet hours; null when too far ahead to tell.
     */
    public Instant finishAfter(Instant now, Duration sending, ZoneId zone) {
        Instant from = startAt != null && startAt.isAfter(now) ? startAt : now;
        return SendingWindows.after(from, sending, quiet(zone));
    }
}
