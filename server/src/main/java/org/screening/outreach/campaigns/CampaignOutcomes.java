package org.screening.outreach.campaigns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.dispatch.OutcomeWrite;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the SMS adapter reports on campaign messages (attempt id = recipient id): outcomes become recipient
 * statuses, applied monotonically off the adapter's thread. A campaign reports thousands a second, so reports
 * are queued and written in batches (one transaction per batch, one writer at a time) instead of one transaction
 * each. {@code settled} is told of every report so the sender frees the message's slot.
 */
final class CampaignOutcomes implements OutcomeSink {
    private static final Logger log = LoggerFactory.getLogger(CampaignOutcomes.class);
    private static final int BATCH = 1000;
    private final CampaignStore store;
    private final Executor executor;
    private final LongConsumer settled;
    private final Queue<CampaignStore.Advance> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    CampaignOutcomes(CampaignStore store, Executor executor, LongConsumer settled) {
        this.store = store;
        this.executor = executor;
        this.settled = settled;
    }

    @Override
    public void report(long recipientId, AttemptOutcome outcome, Map<String, Object> details) {
        settled.accept(recipientId);
        if (Boolean.TRUE.equals(details.get("retriesExhausted")) && !Boolean.TRUE.equals(details.get("maybeSent"))) {
            // Twilio throttled or failed for longer than the retries last and certainly sent nothing: a bad minute
            // at the provider is no reason to give up on a person. The recipient stays SENDING; when its lease runs
            // out the lease job returns it to PENDING and it is sent again.
            return;
        }
        RecipientStatus status = outcome == AttemptOutcome.DELIVERED ? RecipientStatus.DELIVERED : RecipientStatus.FAILED;
        Object code = details.getOrDefault("errorCode", details.get("error"));
        String error = status != RecipientStatus.FAILED ? null
                : Boolean.TRUE.equals(details.get("maybeSent")) ? CampaignStore.MAYBE_SENT
                : short16(code == null ? outcome.name() : String.valueOf(code));
        String ref = details.get("messageSid") instanceof String s ? s : null;
        apply(new CampaignStore.Advance(recipientId, status, ref, error));
    }

    @Override
    public void accepted(long recipientId, String providerRef) {
        settled.accept(recipientId);
        apply(new CampaignStore.Advance(recipientId, RecipientStatus.QUEUED, providerRef, null));
    }

    private void apply(CampaignStore.Advance advance) {
        pending.add(advance);
        if (writing.compareAndSet(false, true)) executor.execute(this::drain);
    }

    /** Writes until nothing is pending; a report arriving as the writer stops starts a new one. */
    private void drain() {
        try {
            List<CampaignStore.Advance> batch = new ArrayList<>(BATCH);
            CampaignStore.Advance a;
            while ((a = pending.poll()) != null) {
                batch.add(a);
                if (batch.size() == BATCH || pending.isEmpty()) {
                    write(batch);
                    batch.clear();
                }
            }
            write(batch);
        } finally {
            writing.set(false);
            if (!pending.isEmpty() && writing.compareAndSet(false, true)) executor.execute(this::drain);
        }
    }

    private void write(List<CampaignStore.Advance> batch) {
        if (batch.isEmpty()) return;
        try {
            store.advanceAll(batch);
        } catch (RuntimeException e) {
            // Handed to the outcome executor, which tries again while the database is away; given up, their leases
            // run out and they are sent again (better than lost messages).
            List<CampaignStore.Advance> copy = List.copyOf(batch);
            log.info("{} campaign recipient outcomes not written yet: {}", copy.size(),
                    Masking.redactNumbers(String.valueOf(e.getMessage())));
            executor.execute(new OutcomeWrite(copy.size() + " campaign recipient outcomes", () -> store.advanceAll(copy)));
        }
    }

    private static String short16(String s) {
        return s.length() > 16 ? s.substring(0, 16) : s;
    }
}
