package org.screening.outreach.campaigns;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * A campaign's recipients per status as counted at {@code asOf} (the time taken before the count, so the figures are
 * at least that fresh); {@link #NONE} before its first count. The campaigns list shows kept counts
 * ({@link CampaignStore#recount}) rather than counting every campaign on every view.
 */
public record RecipientCounts(Map<RecipientStatus, Long> byStatus, Instant asOf) {
    /** Not counted yet (the campaign is still importing, or the counts job has not come round to it). */
    public static final RecipientCounts NONE = new RecipientCounts(Map.of(), null);

    public RecipientCounts {
        byStatus = byStatus.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new EnumMap<>(byStatus));
    }

    /** Recipients whose status may still change: waiting, being sent, or with the provider without a final word. */
    public long unsettled() {
        return n(RecipientStatus.PENDING) + n(RecipientStatus.SENDING) + n(RecipientStatus.QUEUED)
                + n(RecipientStatus.SENT);
    }

    /**
     * True when these are campaign {@code c}'s last figures: {@code c}, as read before the count, had ended, and every
     * recipient had its final status or the wait for receipts ({@link CampaignProgress#RECEIPT_WAIT}) was over. A
     * receipt after that is rare enough (a lost "may have gone" that did go) to show only in the campaign's own view.
     */
    public boolean lastFor(Campaign c) {
        if (!c.status().isFinal() || c.finishedAt() == null || asOf == null || asOf.isBefore(c.finishedAt())) return false;
        return unsettled() == 0 || !asOf.isBefore(c.finishedAt().plus(CampaignProgress.RECEIPT_WAIT));
    }

    private long n(RecipientStatus s) {
        return byStatus.getOrDefault(s, 0L);
    }
}
