package org.screening.outreach.campaigns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongConsumer;
import java.util.function.LongPredicate;
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
    private final LongPredicate wanted;
    private final Queue<CampaignStore.Advance> pending = new ConcurrentLinkedQueue<>();
    /** Withdrawn before their requests went out: back to the queue. */
    private final Queue<Long> requeued = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();

    /** {@code wanted}: whether a message handed to the adapter is still to be sent ({@link #stillWanted}). */
    CampaignOutcomes(CampaignStore store, Executor executor, LongConsumer settled, LongPredicate wanted) {
        this.store = store;
        this.executor = executor;
        this.settled = settled;
        this.wanted = wanted;
    }

    @Override
    public boolean stillWanted(long recipientId) {
        return wanted.test(recipientId);
    }

    @Override
    public void report(long recipientId, AttemptOutcome outcome, Map<String, Object> details) {
        settled.accept(recipientId);
        if (Boolean.TRUE.equals(details.get(OutcomeSink.WITHDRAWN))) {
            // Its campaign was paused or cancelled before the request went out: nothing was sent. Back to the queue
            // at once (a cancelled campaign's is cancelled), not after its lease.
            requeued.add(recipientId);
            startWriting();
            return;
        }
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
        startWriting();
    }

    private void startWriting() {
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
            List<Long> back = new ArrayList<>();
            Long id;
            while ((id = requeued.poll()) != null) {
                back.add(id);
                if (back.size() == BATCH || requeued.isEmpty()) {
                    requeue(back);
                    back.clear();
                }
            }
            requeue(back);
        } finally {
            writing.set(false);
            if ((!pending.isEmpty() || !requeued.isEmpty()) && writing.compareAndSet(false, true)) {
                executor.execute(this::drain);
            }
        }
    }

    private void requeue(List<Long> ids) {
        if (ids.isEmpty()) return;
        List<Long> copy = List.copyOf(ids);
        try {
            store.requeue(copy);
        } catch (RuntimeException e) {
            // Tried again while the database is away; given up, their leases run out and the lease job does it.
            log.info("{} withdrawn campaign recipients not returned to the queue yet: {}", copy.size(),
                    Masking.redactNumbers(String.valueOf(e.getMessage())));
            executor.execute(new OutcomeWrite(copy.size() + " withdrawn campaign recipients", () -> store.requeue(copy)));
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
