package org.screening.outreach.channels.twilio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;

/**
 * Runs blocking Twilio requests on {@code threads}, but only as many at once as Twilio currently answers well.
 *
 * <p>Why: the rate limiter decides how many requests start per second, and at Twilio's ~200 ms a high account rate
 * needs many requests in flight (1,000/s needs 200). A fixed small pool caps a node at a few dozen texts/s; a fixed
 * large one, when Twilio (or the node's own CPU) slows down, keeps hundreds of requests open until they time out,
 * and a request that timed out may have been sent, so its message is given up rather than sent twice. So the number
 * in flight adapts: it starts at {@code floor}, doubles while all room is used and messages are created about as
 * quickly as ever (one more per such answer), and halves, at most once per {@code slow}, when a request takes or is
 * open longer than {@code slow}, Twilio says 429 or answers nothing; past the first slowdown it grows by one per full
 * window of quick answers.
 * Requests beyond it wait here, where {@link RetryingRequest} still sees how long they waited and does not send one
 * whose lease is nearly gone.
 */
public final class SenderPool implements Executor {
    /** In flight at first and after any slowdown: a fixed pool of 8 was what a node had before. */
    static final int FLOOR = 8;

    /** How long the quickest answer stands as the measure of an answer without queueing. */
    private static final Duration FASTEST_KEPT = Duration.ofMinutes(1);
    /** Slack over twice the quickest answer before an answer counts as queued (network jitter, GC). */
    private static final Duration QUEUE_TOLERANCE = Duration.ofMillis(50);

    private final Executor threads;
    private final Clock clock;
    private final int floor;
    private final int ceiling;
    private final Duration slow;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private double limit;
    private final Set<Request> open = new LinkedHashSet<>(); // in start order: the first is the oldest
    private boolean slowSeen;
    private Instant lastCut; // null: never cut
    private Duration fastest; // the quickest answer since fastestSince
    private Instant fastestSince;

    /**
     * For an account rate of {@code perSecond}: at Twilio's ~200 ms a fifth of the rate is in flight, so up to half a
     * second of it (8 to 512) leaves room for slower answers. An answer slower than a third of {@code responseTimeout}
     * means fewer at once: past the timeout a request may have been sent and its text is given up (Twilio's usual
     * answer takes ~0.2 s). {@code threads} makes a fixed pool of the given size.
     */
    public static SenderPool forRate(IntFunction<Executor> threads, double perSecond, Duration responseTimeout,
                                     Clock clock) {
        int ceiling = (int) Math.min(512, Math.max(FLOOR, Math.ceil(perSecond / 2)));
        return new SenderPool(threads.apply(ceiling), clock, FLOOR, ceiling, responseTimeout.dividedBy(3));
    }

    /** {@code threads} must offer at least {@code ceiling} threads (a fixed pool of that size). */
    public SenderPool(Executor threads, Clock clock, int floor, int ceiling, Duration slow) {
        if (floor < 1 || ceiling < floor) throw new IllegalArgumentException("need 1 <= floor <= ceiling");
        this.threads = threads;
        this.clock = clock;
        this.floor = floor;
        this.ceiling = ceiling;
        this.slow = slow;
        this.limit = floor;
    }

    @Override
    public void execute(Runnable request) {
        synchronized (this) {
            waiting.add(request);
        }
        startWhatFits();
    }

    /** How many requests may be in flight now. */
    public synchronized int limit() {
        return (int) limit;
    }

    /** The most it ever lets fly at once (its threads). */
    public int ceiling() {
        return ceiling;
    }

    /** Requests in flight now. */
    public synchronized int running() {
        return open.size();
    }

    /** Requests waiting for room. */
    public synchronized int waiting() {
        return waiting.size();
    }

    private void startWhatFits() {
        while (true) {
            Runnable next;
            Request r;
            synchronized (this) {
                Instant now = clock.instant();
                // Twilio gone silent shows first as requests open too long, before any of them times out.
                if (!open.isEmpty() && Duration.between(open.iterator().next().start(), now).compareTo(slow) > 0) {
                    slowdown(now);
                }
                if (open.size() >= (int) limit || waiting.isEmpty()) return;
                next = waiting.poll();
                r = new Request(now); // the pool has a thread for each request let through, so it starts now
                open.add(r);
            }
            threads.execute(() -> timed(next, r));
        }
    }

    /** What Twilio answered a request; a task that asked nothing (it waited too long here) reports nothing. */
    public enum Answer {
        /** Created: the only answer that shows room for more. */
        CREATED,
        /** 429 / 20429, or no answer at all (the text may have gone): too many at once, as good as a slowdown. */
        OVERLOADED,
        /** A server error or no connection: says nothing about how many at once. */
        FAILED
    }

    /** Called on the sending thread once Twilio has answered (or failed to). */
    static void answered(Answer answer) {
        ANSWER.set(answer);
    }

    private static final ThreadLocal<Answer> ANSWER = new ThreadLocal<>();

    private void timed(Runnable request, Request r) {
        ANSWER.remove();
        try {
            request.run();
        } finally {
            Answer answer = ANSWER.get();
            ANSWER.remove();
            synchronized (this) {
                // Room grows only while it is all used: a pool never full has no evidence more would do.
                boolean full = open.size() >= (int) limit || !waiting.isEmpty();
                open.remove(r);
                Instant now = clock.instant();
                Duration took = Duration.between(r.start(), now);
                if ((answer != null && took.compareTo(slow) > 0) || answer == Answer.OVERLOADED) {
                    slowdown(now);
                } else if (answer == Answer.CREATED && full && !queueing(took, now)) {
                    limit = Math.min(ceiling, limit + (slowSeen ? 1 / limit : 1));
                }
            }
            startWhatFits();
        }
    }

    /**
     * Whether an answer took clearly longer than the quickest of the last minute: requests then queue somewhere (at
     * Twilio, or in this node's own starved CPU), and more at once would only lengthen the queue.
     */
    private boolean queueing(Duration took, Instant now) {
        if (fastest == null || took.compareTo(fastest) < 0 || Duration.between(fastestSince, now).compareTo(FASTEST_KEPT) > 0) {
            fastest = took;
            fastestSince = now;
        }
        return took.compareTo(fastest.multipliedBy(2).plus(QUEUE_TOLERANCE)) > 0;
    }

    /** One slowdown shows in every request open; cutting once per slow period makes it one cut. */
    private void slowdown(Instant now) {
        slowSeen = true;
        if (lastCut == null || Duration.between(lastCut, now).compareTo(slow) > 0) {
            limit = Math.max(floor, limit / 2);
            lastCut = now;
        }
    }

    /** A request in flight; identity matters, two may start in the same instant. */
    private static final class Request {
        private final Instant start;

        Request(Instant start) {
            this.start = start;
        }

        Instant start() {
            return start;
        }
    }
}
