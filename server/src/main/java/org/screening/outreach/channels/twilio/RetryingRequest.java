package org.screening.outreach.channels.twilio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.ledger.feed.RetryAfter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One create request to Twilio (a message, a call) made on {@code executor} and repeated per {@link RetryPolicy}
 * when it certainly created nothing: 429 / 20429, 5xx, no connection. Delays go through {@link
 * org.screening.outreach.channels.Delays}, never a sleeping thread. Every try sends the same parameters.
 * Twilio's error text is recorded with digit runs masked (it quotes the number); logs name the phone masked.
 *
 * <p>A {@code Retry-After} on a retryable answer (Twilio sends it with some 429 / 503), in seconds or as an HTTP
 * date, is honoured: the next try waits the longer of it and the backoff. It is honoured only up to {@link
 * #LONGEST_RETRY_AFTER} and only within what is left of {@link RetryPolicy#maxElapsed()}; a longer ask fails the
 * attempt at once, as exhausted retries do, and the dispatcher's plan and lease take it from there (waiting
 * longer here would hold the attempt's capacity slot and lease for nothing).
 */
public final class RetryingRequest {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingRequest.class);

    /**
     * The longest Retry-After a live send waits for: longer holds the dispatcher's slot and comes close to the
     * SMS lease (2 min); the default policy's 1-minute budget gives the same bound.
     */
    public static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(60);

    private final String what;
    private final Executor executor;
    private final Clock clock;
    private final RetryPolicy retry;
    private final org.screening.outreach.channels.Delays delays;
    private final DoubleSupplier jitter;
    private final LongAdder retries = new LongAdder();
    private final LongAdder retriesTotal = new LongAdder();

    /** {@code what} names the request in logs ("sms", "call"). */
    public RetryingRequest(String what, Executor executor, Clock clock, RetryPolicy retry,
                           org.screening.outreach.channels.Delays delays, DoubleSupplier jitter) {
        this.what = what;
        this.executor = executor;
        this.clock = clock;
        this.retry = retry;
        this.delays = delays;
        this.jitter = jitter;
    }

    /**
     * Makes the request until it is created ({@code created} gets Twilio's answer) or fails for good ({@code failed}
     * gets the details to record: provider, errorCode, errorMessage, httpStatus, tries, retriesExhausted, maybeSent).
     */
    public <R> void run(long attemptId, String phone, Supplier<R> request, Consumer<R> created,
                        Consumer<Map<String, Object>> failed) {
        run(attemptId, phone, request, created, failed, () -> true);
    }

    /**
     * As {@link #run(long, String, Supplier, Consumer, Consumer)}, asking {@code wanted} right before the first try
     * and before each retry of a request that certainly created nothing: when it says no (a campaign paused while its
     * texts waited for a sender thread) nothing is sent and {@code failed} gets {@link OutcomeSink#WITHDRAWN}.
     */
    public <R> void run(long attemptId, String phone, Supplier<R> request, Consumer<R> created,
                        Consumer<Map<String, Object>> failed, BooleanSupplier wanted) {
        // The retry budget counts from the hand-over: the attempt's lease is running while it waits for a thread.
        Job<R> job = new Job<>(attemptId, phone, request, created, failed, clock.instant(), wanted);
        executor.execute(() -> firstTry(job));
    }

    /**
     * A request that waited for a free thread past the whole retry budget is not made at all: its lease is about to
     * run out, and another node may already be sending it. Nothing went out, so it fails as exhausted retries do
     * (a campaign message then stays under its lease and is sent once, later).
     */
    private <R> void firstTry(Job<R> job) {
        if (withdrawn(job, 0)) return;
        Duration waited = Duration.between(job.firstTry(), clock.instant());
        if (waited.compareTo(retry.maxElapsed()) <= 0) {
            tryOnce(job, 1);
            return;
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("provider", "twilio");
        d.put("errorMessage", "not sent: waited " + waited.toSeconds() + " s for a free sender thread");
        d.put("tries", 0);
        d.put("retriesExhausted", true);
        LOG.warn("{} attempt={} to={} not sent: waited {} s for a free sender thread", what, job.attemptId(),
                Masking.phone(job.phone()), waited.toSeconds());
        job.failed().accept(d);
    }

    /** Retries scheduled since the last call (for a periodic summary instead of a log line per retry). */
    public long takeRetryCount() {
        return retries.sumThenReset();
    }

    /** Retries scheduled since start (the provider_retries_total counter). */
    public long retriesTotal() {
        return retriesTotal.sum();
    }

    private record Job<R>(long attemptId, String phone, Supplier<R> request, Consumer<R> created,
                          Consumer<Map<String, Object>> failed, Instant firstTry, BooleanSupplier wanted) {}

    /** Fails the job as withdrawn (nothing sent) when its caller no longer wants it; {@code tries}: made so far. */
    private <R> boolean withdrawn(Job<R> job, int tries) {
        boolean wanted;
        try {
            wanted = job.wanted().getAsBoolean();
        } catch (RuntimeException e) { // a question that fails must not lose the attempt: send it
            wanted = true;
        }
        if (wanted) return false;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("provider", "twilio");
        d.put("errorMessage", "not sent: no longer wanted (its campaign was paused or cancelled)");
        d.put("tries", tries);
        d.put(OutcomeSink.WITHDRAWN, true);
        LOG.debug("{} attempt={} to={} withdrawn before try {}", what, job.attemptId(), Masking.phone(job.phone()),
                tries + 1);
        job.failed().accept(d);
        return true;
    }

    private <R> void tryOnce(Job<R> job, int tryNo) {
        R answer;
        TwilioClients.clearLastStatus();
        try {
            answer = job.request().get();
        } catch (RuntimeException e) {
            // read on this thread: the client keeps the last answer per thread
            SendFailure f = SendFailure.classify(e, TwilioClients.lastStatus());
            boolean overloaded = f.httpStatus() == 429 || f.errorCode() == 20429 || f.kind() == SendFailure.Kind.MAYBE_SENT;
            SenderPool.answered(overloaded ? SenderPool.Answer.OVERLOADED : SenderPool.Answer.FAILED);
            onFailure(job, tryNo, f, TwilioClients.lastRetryAfter());
            return;
        }
        SenderPool.answered(SenderPool.Answer.CREATED);
        job.created().accept(answer);
    }

    private <R> void onFailure(Job<R> job, int tryNo, SendFailure f, String retryAfterHeader) {
        boolean retryable = f.kind() == SendFailure.Kind.NOT_SENT_RETRYABLE
                || (f.kind() == SendFailure.Kind.MAYBE_SENT && retry.retryAfterResponseTimeout());
        Optional<Duration> asked = Optional.empty();
        if (retryable && tryNo < retry.maxTries()) {
            Instant now = clock.instant();
            asked = f.httpStatus() == 0 ? Optional.empty() : RetryAfter.delay(retryAfterHeader, now);
            Duration delay = retry.backoff(tryNo, jitter.getAsDouble());
            if (asked.isPresent() && asked.get().compareTo(delay) > 0) delay = asked.get();
            Duration elapsed = Duration.between(job.firstTry(), now);
            boolean withinAsk = asked.isEmpty() || asked.get().compareTo(LONGEST_RETRY_AFTER) <= 0;
            if (withinAsk && elapsed.plus(delay).compareTo(retry.maxElapsed()) <= 0) {
                retries.increment();
                retriesTotal.increment();
                // DEBUG: a throttled bulk campaign would otherwise log a line per message
                LOG.debug("{} attempt={} to={} try {} failed (http={} code={} {}), retry in {} ms", what,
                        job.attemptId(), Masking.phone(job.phone()), tryNo, f.httpStatus(), f.errorCode(), f.message(),
                        delay.toMillis());
                delays.after(delay, () -> executor.execute(() -> retry(job, tryNo + 1, f)));
                return;
            }
        }
        giveUp(job, tryNo, f, retryable, asked);
    }

    /**
     * A retry that waited for a free thread until past the budget is not made either (the queue of a slowed-down
     * pool can hold it for minutes): by then the lease may have run out and another node sent the message. It ends
     * as the try before it did, with the retries counted as spent.
     */
    private <R> void retry(Job<R> job, int tryNo, SendFailure before) {
        // Only a try that certainly created nothing may end as withdrawn; one that may have sent keeps that word.
        if (before.kind() == SendFailure.Kind.NOT_SENT_RETRYABLE && withdrawn(job, tryNo - 1)) return;
        if (Duration.between(job.firstTry(), clock.instant()).compareTo(retry.maxElapsed()) <= 0) {
            tryOnce(job, tryNo);
            return;
        }
        giveUp(job, tryNo - 1, before, true, Optional.empty());
    }

    private <R> void giveUp(Job<R> job, int tryNo, SendFailure f, boolean retryable, Optional<Duration> asked) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("provider", "twilio");
        if (f.errorCode() != 0) d.put("errorCode", f.errorCode());
        d.put("errorMessage", f.message());
        if (f.httpStatus() != 0) d.put("httpStatus", f.httpStatus());
        d.put("tries", tryNo);
        if (retryable) d.put("retriesExhausted", true);
        if (asked.isPresent()) d.put("retryAfterSeconds", asked.get().toSeconds()); // why it gave up before maxTries
        // Server errors and no connection say Twilio is failing, not the number; 429 only that we went too fast.
        if (retryable && (f.httpStatus() >= 500 || f.httpStatus() == 0)) d.put(OutcomeSink.PROVIDER_DOWN, true);
        if (f.kind() == SendFailure.Kind.MAYBE_SENT) d.put("maybeSent", true);
        LOG.warn("{} attempt={} to={} failed after {} tries: http={} code={} {}{}", what, job.attemptId(),
                Masking.phone(job.phone()), tryNo, f.httpStatus(), f.errorCode(), f.message(),
                asked.map(a -> " (Retry-After " + a.toSeconds() + " s)").orElse(""));
        job.failed().accept(d);
    }
}
