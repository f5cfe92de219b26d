package org.screening.outreach.campaigns;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.screening.outreach.domain.QuietHours;

/**
 * Counts only (never a number): rows read, invalid, duplicates; recipients opted out, queued (waiting their turn),
 * sending (claimed, not yet taken by the provider), sent (with the provider, no final word yet), delivered, failed,
 * cancelled. {@code percent} is the share of recipients with a final word; the rate is messages the provider took
 * per second of running time (pauses
 * left out, and so are the wait for its start time and its quiet hours) and the ETA what is still queued at that
 * rate, from its start time and over the quiet hours ahead. A cancelled campaign queues nothing (ETA zero); what it
 * had in flight counts as sending or sent until its report comes or, with no word, its lease ends
 * ({@link CampaignLeaseJob}: cancelled), so its percent reaches 100 once what did go has its outcome.
 *
 * <p>Some carriers never send a delivery receipt, so "sent" can be the last word a text ever gets. Once a campaign
 * has been finished for {@link #RECEIPT_WAIT}, what is still with the provider counts as {@code noReceipt} (settled)
 * instead of {@code sent}, so the province sees the campaign end at 100 %; a receipt arriving later still moves the
 * recipient to delivered or failed.
 *
 * <p>{@code asOf}: when the counts were taken; the campaigns list shows kept counts ({@link CampaignStore#recount}),
 * null before a campaign's first. The rate and ETA use them with the time up to now, so they lag as the counts do.
 */
public record CampaignProgress(Campaign campaign, int totalRows, int invalid, int duplicates, long recipients,
                               long optedOut, long queued, long sending, long sent, long noReceipt, long delivered,
                               long failed, long cancelled, double percent, double ratePerSecond, Duration eta,
                               Instant asOf) {

    /** Receipts come within minutes when they come at all; a day covers Twilio's longest validity period (10 h). */
    public static final Duration RECEIPT_WAIT = Duration.ofHours(24);

    /** In the default zone, Asia/Shanghai. */
    public static CampaignProgress of(Campaign c, Map<RecipientStatus, Long> counts, Instant now) {
        return of(c, counts, now, QuietHours.defaults().zone());
    }

    /** {@code zone}: the deployment's, in which the campaign's quiet hours are read. Counts taken {@code now}. */
    public static CampaignProgress of(Campaign c, Map<RecipientStatus, Long> counts, Instant now, ZoneId zone) {
        return of(c, new RecipientCounts(counts, now), now, zone);
    }

    /** With counts kept earlier (the list's): the figures are theirs, as of their count; times run to {@code now}. */
    public static CampaignProgress of(Campaign c, RecipientCounts kept, Instant now, ZoneId zone) {
        Map<RecipientStatus, Long> counts = kept.byStatus();
        long recipients = counts.values().stream().mapToLong(Long::longValue).sum();
        long queued = n(counts, RecipientStatus.PENDING);
        long withProvider = n(counts, RecipientStatus.QUEUED) + n(counts, RecipientStatus.SENT);
        boolean waitOver = c.finishedAt() != null && !now.isBefore(c.finishedAt().plus(RECEIPT_WAIT));
        long noReceipt = waitOver ? withProvider : 0;
        // Claimed but not (yet) taken by the provider: in the adapter's queue, or waiting out a Twilio outage under
        // its lease. Not "sent": during a 429 storm these grow by the rate while nothing goes out.
        long sending = n(counts, RecipientStatus.SENDING);
        long sent = withProvider - noReceipt;
        long delivered = n(counts, RecipientStatus.DELIVERED);
        long failed = n(counts, RecipientStatus.FAILED);
        long optedOut = n(counts, RecipientStatus.OPTED_OUT);
        long cancelled = n(counts, RecipientStatus.CANCELLED);
        long settled = delivered + failed + optedOut + cancelled + noReceipt;
        double percent = recipients == 0 ? 100.0 : Math.floor(1000.0 * settled / recipients) / 10.0;
        long handed = sent + noReceipt + delivered + failed;
        double seconds = c.sendingTime(now, zone).toMillis() / 1000.0;
        double rate = seconds <= 0 ? 0 : Math.round(10.0 * handed / seconds) / 10.0;
        long left = queued + sending;
        Duration eta = c.status() != CampaignStatus.RUNNING ? (queued == 0 ? Duration.ZERO : null)
                : left == 0 ? Duration.ZERO
                : rate > 0 ? eta(c, now, Duration.ofSeconds((long) Math.ceil(left / rate)), zone) : null;
        return new CampaignProgress(c, c.totalRows(), c.invalidRows(), c.duplicateRows(), recipients, optedOut, queued,
                sending, sent, noReceipt, delivered, failed, cancelled, percent, rate, eta, kept.asOf());
    }

    /** {@code sending} of open time from now, over the start time and the nights ahead. */
    private static Duration eta(Campaign c, Instant now, Duration sending, ZoneId zone) {
        Instant done = c.finishAfter(now, sending, zone);
        return done == null ? null : Duration.between(now, done);
    }

    private static long n(Map<RecipientStatus, Long> counts, RecipientStatus s) {
        return counts.getOrDefault(s, 0L);
    }
}
