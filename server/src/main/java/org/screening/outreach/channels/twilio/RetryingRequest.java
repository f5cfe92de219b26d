package org.screening.outreach.channels.twilio;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One create request to Twilio (a message, a call) made on {@code executor} and repeated per {@link RetryPolicy}
 * when it certainly created nothing: 429 / 20429, 5xx, no connection. Delays go through {@link
 * org.screening.outreach.channels.Delays}, never a sleeping thread. Every try sends the same parameters.
 * Twilio's error text is recorded with digit runs masked (it quotes the number); logs name the phone masked.
 */
public final class RetryingRequest {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingRequest.class);

    private final String what;
    private final Executor executor;
    private final Clock clock;
    private final RetryPolicy retry;
    private final org.screening.outreach.channels.Delays delays;
    private final DoubleSupplier jitter;

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
        executor.execute(() -> tryOnce(new Job<>(attemptId, phone, request, created, failed, clock.instant()), 1));
    }

    private record Job<R>(long attemptId, String phone, Supplier<R> request, Consumer<R> created,
                          Consumer<Map<String, Object>> failed, Instant firstTry) {}

    private <R> void tryOnce(Job<R> job, int tryNo) {
        R answer;
        TwilioClients.clearLastStatus();
        try {
            answer = job.request().get();
        } catch (RuntimeException e) {
            onFailure(job, tryNo, SendFailure.classify(e, TwilioClients.lastStatus()));
            return;
        }
        job.created().accept(answer);
    }

    private <R> void onFailure(Job<R> job, int tryNo, SendFailure f) {
        boolean retryable = f.kind() == SendFailure.Kind.NOT_SENT_RETRYABLE
                || (f.kind() == SendFailure.Kind.MAYBE_SENT && retry.retryAfterResponseTimeout());
        if (retryable && tryNo < retry.maxTries()) {
            Duration delay = retry.backoff(tryNo, jitter.getAsDouble());
            Duration elapsed = Duration.between(job.firstTry(), clock.instant());
            if (elapsed.plus(delay).compareTo(retry.maxElapsed()) <= 0) {
                LOG.info("{} attempt={} to={} try {} failed (http={} code={} {}), retry in {} ms", what, job.attemptId(),
                        Masking.phone(job.phone()), tryNo, f.httpStatus(), f.errorCode(), f.message(), delay.toMillis());
                delays.after(delay, () -> executor.execute(() -> tryOnce(job, tryNo + 1)));
                return;
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("provider", "twilio");
        if (f.errorCode() != 0) d.put("errorCode", f.errorCode());
        d.put("errorMessage", f.message());
        if (f.httpStatus() != 0) d.put("httpStatus", f.httpStatus());
        d.put("tries", tryNo);
        if (retryable) d.put("retriesExhausted", true);
        // Server errors and no connection say Twilio is failing, not the number; 429 only that we went too fast.
        if (retryable && (f.httpStatus() >= 500 || f.httpStatus() == 0)) d.put(OutcomeSink.PROVIDER_DOWN, true);
        if (f.kind() == SendFailure.Kind.MAYBE_SENT) d.put("maybeSent", true);
        LOG.warn("{} attempt={} to={} failed after {} tries: http={} code={} {}", what, job.attemptId(),
                Masking.phone(job.phone()), tryNo, f.httpStatus(), f.errorCode(), f.message());
        job.failed().accept(d);
    }
}
