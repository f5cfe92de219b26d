package org.screening.outreach.channels.sms.twilio;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.Delays;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS through Twilio's Messages API with the Java SDK ({@code Message.creator(...).create(client)}).
 *
 * <p>{@link #send} hands the blocking SDK call to {@code executor} and returns. Then:
 * <ul>
 * <li>201: nothing final is reported; {@link SmsAcceptedListener} gets the message SID. The outcome comes from
 *   the status webhook ({@link TwilioSmsStatus} maps it). StatusCallback carries {@code ?attemptId=} so even a
 *   message whose 201 we never saw (response timeout) can be matched to its attempt.</li>
 * <li>429 / 20429, 5xx, no connection: retried after {@link RetryPolicy#backoff} through {@link Delays} (no
 *   thread sleeps), up to the policy's limits; then FAILED with {@code retriesExhausted}.</li>
 * <li>Other 4xx (21211 invalid number, 21610 unsubscribed, …): FAILED with errorCode / errorMessage / httpStatus.</li>
 * <li>Response timeout: FAILED with {@code maybeSent=true}, unless the policy allows retrying it
 *   (see {@link RetryPolicy}).</li>
 * </ul>
 * Every try sends the same parameters; the body is rendered once per attempt. Logs show the phone masked and
 * never the token; Twilio's error text is logged and recorded with digit runs masked (it quotes the number).
 */
public final class TwilioSmsAdapter implements ChannelAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioSmsAdapter.class);

    private final TwilioRestClient client;
    private final TwilioSmsSettings settings;
    private final Capacity capacity;
    private final Function<OutboundAttempt, String> body;
    private final Executor executor;
    private final Clock clock;
    private final RetryPolicy retry;
    private final Delays delays;
    private final SmsAcceptedListener accepted;
    private final DoubleSupplier jitter;

    public TwilioSmsAdapter(TwilioSmsSettings settings, Capacity capacity, Function<OutboundAttempt, String> body,
                            Executor executor, Clock clock, RetryPolicy retry, Delays delays,
                            SmsAcceptedListener accepted) {
        this(TwilioClients.create(settings, Math.max(4, capacity.maxConcurrent())), settings, capacity, body, executor,
                clock, retry, delays, accepted, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With a ready client and a jitter source, for tests and for sharing one client between adapters. */
    public TwilioSmsAdapter(TwilioRestClient client, TwilioSmsSettings settings, Capacity capacity,
                            Function<OutboundAttempt, String> body, Executor executor, Clock clock, RetryPolicy retry,
                            Delays delays, SmsAcceptedListener accepted, DoubleSupplier jitter) {
        this.client = client;
        this.settings = settings;
        this.capacity = capacity;
        this.body = body;
        this.executor = executor;
        this.clock = clock;
        this.retry = retry;
        this.delays = delays;
        this.accepted = accepted;
        this.jitter = jitter;
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.SMS;
    }

    @Override
    public String provider() {
        return "twilio";
    }

    @Override
    public Capacity capacity() {
        return capacity;
    }

    @Override
    public void send(OutboundAttempt attempt, OutcomeSink sink) {
        executor.execute(() -> {
            MessageCreator creator;
            try {
                creator = creator(attempt, body.apply(attempt));
            } catch (RuntimeException e) { // a template or variable problem: no request was made
                LOG.warn("sms attempt={} to={} not sent: cannot build message ({})", attempt.attemptId(),
                        Masking.phone(attempt.phone()), e.getClass().getSimpleName());
                sink.report(attempt.attemptId(), AttemptOutcome.FAILED, Map.of("provider", "twilio",
                        "error", "message_build_failed", "errorMessage", String.valueOf(Masking.redactNumbers(e.getMessage()))));
                return;
            }
            tryOnce(attempt, creator, sink, 1, clock.instant());
        });
    }

    private MessageCreator creator(OutboundAttempt a, String text) {
        PhoneNumber to = new PhoneNumber(a.phone());
        MessageCreator c = settings.usesMessagingService()
                ? Message.creator(to, settings.from(), text)
                : Message.creator(to, new PhoneNumber(settings.from()), text);
        if (settings.statusCallbackUrl() != null) {
            c.setStatusCallback(settings.statusCallbackUrl() + "?attemptId=" + a.attemptId());
        }
        return c.setValidityPeriod((int) settings.validityPeriod().toSeconds());
    }

    private void tryOnce(OutboundAttempt a, MessageCreator creator, OutcomeSink sink, int tryNo, Instant firstTry) {
        Message m;
        TwilioClients.clearLastStatus();
        try {
            m = creator.create(client);
        } catch (RuntimeException e) {
            onFailure(a, creator, sink, tryNo, firstTry, SendFailure.classify(e, TwilioClients.lastStatus()));
            return;
        }
        TwilioSmsStatus status = TwilioSmsStatus.parse(m.getStatus() == null ? null : m.getStatus().toString())
                .orElse(TwilioSmsStatus.QUEUED);
        LOG.info("sms attempt={} to={} accepted sid={} status={} tries={}", a.attemptId(), Masking.phone(a.phone()),
                m.getSid(), status.wireName(), tryNo);
        try {
            accepted.accepted(a.attemptId(), m.getSid(), status);
        } catch (RuntimeException e) { // the message is out; a failing listener must not look like a failed send
            LOG.error("sms attempt={} sid={}: storing the message SID failed ({})", a.attemptId(), m.getSid(),
                    e.getClass().getSimpleName());
        }
        // Twilio may refuse at once with a final status in the 201 (rare); that is the outcome then. Otherwise the
        // final status comes on the status webhook and the dispatcher must not hold the slot or the lease for it.
        status.outcome().ifPresentOrElse(o -> sink.report(a.attemptId(), o, details(m.getSid(), status)),
                () -> sink.accepted(a.attemptId(), m.getSid()));
    }

    private void onFailure(OutboundAttempt a, MessageCreator creator, OutcomeSink sink, int tryNo, Instant firstTry,
                           SendFailure f) {
        boolean retryable = f.kind() == SendFailure.Kind.NOT_SENT_RETRYABLE
                || (f.kind() == SendFailure.Kind.MAYBE_SENT && retry.retryAfterResponseTimeout());
        if (retryable && tryNo < retry.maxTries()) {
            Duration delay = retry.backoff(tryNo, jitter.getAsDouble());
            Duration elapsed = Duration.between(firstTry, clock.instant());
            if (elapsed.plus(delay).compareTo(retry.maxElapsed()) <= 0) {
                LOG.info("sms attempt={} to={} try {} failed (http={} code={} {}), retry in {} ms", a.attemptId(),
                        Masking.phone(a.phone()), tryNo, f.httpStatus(), f.errorCode(), f.message(), delay.toMillis());
                delays.after(delay, () -> executor.execute(() -> tryOnce(a, creator, sink, tryNo + 1, firstTry)));
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
        if (f.kind() == SendFailure.Kind.MAYBE_SENT) d.put("maybeSent", true);
        LOG.warn("sms attempt={} to={} failed after {} tries: http={} code={} {}", a.attemptId(),
                Masking.phone(a.phone()), tryNo, f.httpStatus(), f.errorCode(), f.message());
        sink.report(a.attemptId(), AttemptOutcome.FAILED, d);
    }

    private static Map<String, Object> details(String sid, TwilioSmsStatus status) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("provider", "twilio");
        d.put("messageSid", sid);
        d.put("twilioStatus", status.wireName());
        return d;
    }
}
