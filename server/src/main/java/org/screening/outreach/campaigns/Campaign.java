package org.screening.outreach.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One bulk SMS campaign as stored. {@code body} is the text every recipient gets (rendered once at creation);
 * {@code quietHours} is "HH:mm-HH:mm" in the deployment's zone, or null for none. The row counts are those known
 * at import (data rows read, rows without a valid mobile number, repeats of a number already in the campaign).
 */
public record Campaign(long id, String name, String template, String lang, Map<String, String> variables, String body,
                       String jurisdictionPrefix, String createdBy, Instant createdAt, Instant startAt,
                       String quietHours, CampaignStatus status, int totalRows, int invalidRows, int duplicateRows,
                       long activeMillis, Instant runningSince, Instant finishedAt) {

    /** Time spent running up to {@code now}, pauses left out: the rate is measured over it. */
    public Duration activeTime(Instant now) {
        long ms = activeMillis;
        if (runningSince != null && now.isAfter(runningSince)) ms += Duration.between(runningSince, now).toMillis();
        return Duration.ofMillis(ms);
    }
}
