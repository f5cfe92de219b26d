package org.screening.outreach.campaigns;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.dispatch.BackgroundJob;
import org.screening.outreach.dispatch.SmsRateShare;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.sms.Segments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends campaign messages with what the case reminders leave of the SMS channel: rate tokens from
 * {@link SmsRateShare#spareForCampaigns} (none while reminders wait; a text takes one per SMS part) and adapter slots
 * the case dispatcher is not using. Running campaigns go oldest first; one waits for its start time and outside its quiet hours. Recipients
 * are claimed under a lease, so a node that dies mid-send leaves them to {@link CampaignLeaseJob}. A pause or cancel
 * stops the claims at once ({@link CampaignStore#claim}); messages handed to the adapter whose requests have not gone
 * out yet are withdrawn within a run (the adapter asks {@link OutcomeSink#stillWanted} right before each request)
 * and go back to the queue ({@link CampaignStore#requeue}); those already with the provider get their reports: a
 * text cannot be called back.
 */
public final class CampaignSendJob implements BackgroundJob {
    private static final Logger log = LoggerFactory.getLogger(CampaignSendJob.class);

    private final CampaignStore store;
    private final ChannelAdapter adapter;
    private final CampaignBodies bodies;
    private final SmsRateShare rate;
    private final IntSupplier caseInFlight;
    private final Clock clock;
    private final ZoneId zone;
    private final Duration lease;
    private final int maxPerRun;
    private final CampaignOutcomes outcomes;
    /** Per campaign, the highest recipient id claimed here so far (see {@link CampaignStore#claim}). */
    private final Map<Long, Long> cursors = new ConcurrentHashMap<>();
    /** Messages handed to the adapter and not yet reported, with their campaign and their lease's end. */
    private final Map<Long, InFlight> inFlight = new ConcurrentHashMap<>();

    private record InFlight(long campaignId, Instant leaseEnd) {}

    /**
     * The campaigns running as of the last run (every node reads them each run, so a pause or cancel on any node is
     * seen here within a run): a message still waiting for its request when its campaign left them is not sent.
     */
    private volatile Set<Long> running = Set.of();

    /**
     * {@code adapter}: the SMS adapter campaign messages go through (for Twilio its own instance, whose status
     * callback names the recipient, and whose body comes from {@code bodies}); {@code caseInFlight}: the case
     * dispatcher's messages in flight on the same provider; {@code outcomeExecutor} runs the database updates.
     */
    public CampaignSendJob(CampaignStore store, ChannelAdapter adapter, CampaignBodies bodies, SmsRateShare rate,
                           IntSupplier caseInFlight, Clock clock, ZoneId zone, Duration lease, int maxPerRun,
                           Executor outcomeExecutor) {
        if (adapter.kind() != ChannelKind.SMS) throw new IllegalArgumentException("campaigns send SMS");
        this.store = store;
        this.adapter = adapter;
        this.bodies = bodies;
        this.rate = rate;
        this.caseInFlight = caseInFlight;
        this.clock = clock;
        this.zone = zone;
        this.lease = lease;
        this.maxPerRun = maxPerRun;
        this.outcomes = new CampaignOutcomes(store, outcomeExecutor, inFlight::remove, this::wanted);
    }

    @Override
    public String name() {
        return "campaign-send";
    }

    @Override
    public Duration every() {
        return Duration.ofMillis(200);
    }

    private volatile int sending;
    /** When {@link #inFlight} was last searched for messages whose lease ended without a report. */
    private Instant lastSweep = Instant.MIN;

    @Override
    public int runOnce() {
        Instant now = clock.instant();
        if (now.isBefore(lastSweep) || !now.isBefore(lastSweep.plusSeconds(1))) {
            // A walk over every message out; once a second is soon enough for leases of minutes (and again at once
            // if the clock was set back).
            inFlight.values().removeIf(f -> !f.leaseEnd().isAfter(now));
            lastSweep = now;
        }
        // Read even when no slot is free: the messages queued at the adapter ask it before their requests go out.
        List<Campaign> runningNow = store.running();
        running = runningNow.stream().map(Campaign::id).collect(Collectors.toUnmodifiableSet());
        int slots = rate.concurrency(adapter.capacity().maxConcurrent());
        if (!inFlight.isEmpty() && slots - caseInFlight.getAsInt() - inFlight.size() < refillAt(slots)) return 0;
        int handed = 0;
        int open = 0;
        for (Campaign c : runningNow) {
            if (c.startAt().isAfter(now) || quiet(c, now)) continue;
            open++;
            int room = Math.min(maxPerRun - handed, slots - caseInFlight.getAsInt() - inFlight.size());
            // The provider's rate counts SMS parts (Twilio's MPS are segments per second): a text of 3 parts takes 3
            // tokens, or a long campaign text would go at 3 times the account's rate and meet 429s and queueing.
            int parts = parts(c);
            int tokens = rate.spareForCampaigns(room <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) room * parts));
            if (tokens <= 0) break;
            // Fewer tokens than one text's parts (a rate below its part count): one text, paid for as the bucket refills.
            int n = Math.max(1, tokens / parts);
            long after = cursors.getOrDefault(c.id(), 0L);
            List<Recipient> claimed = store.claim(c.id(), after, n, now.plus(lease));
            rate.spentByCampaigns(claimed.size() * parts);
            for (Recipient r : claimed) send(c, r, now);
            handed += claimed.size();
            if (!claimed.isEmpty()) cursors.put(c.id(), claimed.get(claimed.size() - 1).id());
            if (claimed.size() < n) {
                // The end of the list: start from the top next time (reaped leases, another node's skipped rows)
                // and see whether anything is left at all.
                cursors.remove(c.id());
                if (after == 0) store.completeIfDone(c.id(), now);
            }
        }
        sending = open;
        return handed;
    }

    /**
     * Free slots worth a claim while messages are still out: half of them, or a full run. A claim is a transaction
     * of several round trips whatever its size, so topping up each freed slot as it frees (a tight loop claims a
     * few dozen at a time) spends the database on claims and leaves the senders waiting between them; claiming in
     * large batches keeps half the slots queued at the adapter while the next claim runs.
     */
    private int refillAt(int slots) {
        return Math.min(maxPerRun, Math.max(1, slots / 2));
    }

    /**
     * Running campaigns past their start and outside their quiet hours at the last run: they should be sending, so
     * this above zero while nothing goes out is a stalled campaign (the {@code campaigns_sending} gauge).
     */
    public int sending() {
        return sending;
    }

    /**
     * In flight now (for tests, the progress view, and a graceful stop, which waits for these; those still out when
     * it gives up are left to {@link CampaignLeaseJob}: recipients carry no owner to return them by).
     */
    @Override
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Whether a message handed to the adapter is still to be sent: its campaign was running at the last run. One
     * this node no longer tracks (its lease ran out here) is left to the adapter's own budget.
     */
    private boolean wanted(long recipientId) {
        InFlight f = inFlight.get(recipientId);
        return f == null || running.contains(f.campaignId());
    }

    private void send(Campaign c, Recipient r, Instant now) {
        inFlight.put(r.id(), new InFlight(c.id(), now.plus(lease)));
        bodies.put(r.id(), c.body());
        try {
            adapter.send(new OutboundAttempt(r.id(), null, ChannelKind.SMS, 1, r.phone(), null, null, null, null), outcomes);
        } catch (RuntimeException e) {
            String why = Masking.redactNumbers(String.valueOf(e.getMessage()));
            log.warn("campaign {} recipient {} ({}) refused by the adapter: {}", c.id(), r.id(), Masking.phone(r.phone()), why);
            outcomes.report(r.id(), AttemptOutcome.FAILED, Map.of("error", "adapter_refused"));
        } finally {
            bodies.remove(r.id()); // adapters render the body inside send
        }
    }

    /** SMS parts of each of the campaign's texts (all recipients get the same text). */
    private static int parts(Campaign c) {
        return Math.max(1, Segments.count(c.body()).segments());
    }

    private boolean quiet(Campaign c, Instant now) {
        QuietHours q = c.quiet(zone);
        return q != null && q.contains(now);
    }
}
