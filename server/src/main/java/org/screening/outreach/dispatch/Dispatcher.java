package org.screening.outreach.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds one channel: claims as many due attempts as the adapter can carry right now (free concurrent slots and
 * rate tokens), nearest deadline first, and applies each outcome when the adapter reports it.
 */
public final class Dispatcher {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private final ChannelAdapter adapter;
    private final AttemptQueue queue;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final Executor outcomes;
    private final TokenBucket bucket;
    /** Attempts handed to the adapter and not yet reported, with their lease's end. */
    private final Map<Long, Instant> inFlight = new ConcurrentHashMap<>();

    private final Predicate<OutboundAttempt> optedOut;
    private final Runnable sendFailed;
    private final NodeShare share;

    /** {@code outcomes} runs outcome handling (database work) off the adapter's thread. */
    public Dispatcher(ChannelAdapter adapter, AttemptQueue queue, Clock clock, String owner, Duration lease,
                      Executor outcomes) {
        this(adapter, queue, clock, owner, lease, outcomes, a -> false);
    }

    /** {@code optedOut}: attempts not to send (an opted-out number); they end FAILED with the reason, untouched. */
    public Dispatcher(ChannelAdapter adapter, AttemptQueue queue, Clock clock, String owner, Duration lease,
                      Executor outcomes, Predicate<OutboundAttempt> optedOut) {
        this(adapter, queue, clock, owner, lease, outcomes, optedOut, () -> { });
    }

    /** {@code sendFailed}: told of each attempt the provider failed or refused (for provider health metrics). */
    public Dispatcher(ChannelAdapter adapter, AttemptQueue queue, Clock clock, String owner, Duration lease,
                      Executor outcomes, Predicate<OutboundAttempt> optedOut, Runnable sendFailed) {
        this(adapter, queue, clock, owner, lease, outcomes, optedOut, sendFailed, NodeShare.alone());
    }

    /** {@code share}: this node's part of the provider's rate and concurrency when several nodes dispatch. */
    public Dispatcher(ChannelAdapter adapter, AttemptQueue queue, Clock clock, String owner, Duration lease,
                      Executor outcomes, Predicate<OutboundAttempt> optedOut, Runnable sendFailed, NodeShare share) {
        this.share = share;
        this.optedOut = optedOut;
        this.sendFailed = sendFailed;
        this.adapter = adapter;
        this.queue = queue;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
        this.outcomes = outcomes;
        Capacity c = adapter.capacity();
        this.bucket = new TokenBucket(c.perSecond(), Math.max(1, c.perSecond()), clock);
    }

    /** One round: how many attempts were handed to the adapter. */
    public int dispatchDue() {
        Instant now = clock.instant();
        // An attempt the adapter never reported on (its outcome lost with a provider link) is back in the queue, or
        // left to SettleUnreportedCallsJob, once its lease ends: it must not hold a slot here for ever.
        inFlight.values().removeIf(leaseEnd -> !leaseEnd.isAfter(now));
        Capacity c = adapter.capacity();
        bucket.setRate(share.rate(c.perSecond()));
        int free = Math.min(share.count(c.maxConcurrent()) - inFlight.size(), bucket.available());
        if (free <= 0) return 0;
        List<OutboundAttempt> claimed = queue.claim(adapter.kind(), now, free, owner, now.plus(lease));
        bucket.take(claimed.size());
        for (OutboundAttempt a : claimed) {
            inFlight.put(a.attemptId(), now.plus(lease));
            if (optedOut.test(a)) {
                // The plan moves on to calls and the door knock; the ledger says why no SMS went out.
                onOutcome(a.attemptId(), AttemptOutcome.FAILED, Map.of("skipped", "opted_out"));
                continue;
            }
            try {
                adapter.send(a, sink);
            } catch (RuntimeException e) {
                String why = Masking.redactNumbers(String.valueOf(e.getMessage())); // may quote the number
                log.warn("{} adapter refused attempt {}: {}", adapter.kind(), a.attemptId(), why);
                sendFailed.run();
                onOutcome(a.attemptId(), AttemptOutcome.FAILED, Map.of("error", why));
            }
        }
        return claimed.size();
    }

    private final OutcomeSink sink = new OutcomeSink() {
        @Override
        public void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
            if (outcome == AttemptOutcome.FAILED) sendFailed.run();
            onOutcome(attemptId, outcome, details);
        }

        @Override
        public void accepted(long attemptId, String providerRef) {
            inFlight.remove(attemptId);
            outcomes.execute(new OutcomeWrite("acceptance of attempt " + attemptId,
                    () -> queue.markSent(attemptId, providerRef, clock.instant())));
        }

        @Override
        public void dialling(long attemptId, String providerRef) {
            // The slot stays taken: the adapter still reports, and the PBX's channels are what it counts.
            outcomes.execute(new OutcomeWrite("dialling of attempt " + attemptId,
                    () -> queue.markSent(attemptId, providerRef, clock.instant())));
        }

        @Override
        public void note(long attemptId, String type, Map<String, Object> data) {
            outcomes.execute(new OutcomeWrite(type + " of attempt " + attemptId,
                    () -> queue.note(attemptId, type, data, clock.instant())));
        }
    };

    public int inFlight() {
        return inFlight.size();
    }

    /**
     * At a graceful stop, once the adapter can report nothing more here: attempts this node claimed and the provider
     * never took or answered go back to the queue now, not when their lease ends; how many. Whether one went out
     * is unknown either way, so the lease would only add delay.
     */
    public int returnUnsent() {
        int n = queue.returnClaims(adapter.kind(), owner);
        inFlight.clear();
        return n;
    }

    private void onOutcome(long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
        inFlight.remove(attemptId); // a provider reporting twice frees the slot once
        // Retried while the database is away; given up, the lease runs out and the reaper returns the attempt.
        outcomes.execute(new OutcomeWrite("outcome of attempt " + attemptId,
                () -> queue.complete(attemptId, outcome, details, clock.instant())));
    }
}
