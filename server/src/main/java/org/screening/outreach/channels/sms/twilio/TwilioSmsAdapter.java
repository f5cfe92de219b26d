package org.screening.outreach.channels.sms.twilio;

import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.Delays;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.channels.twilio.RetryPolicy;
import org.screening.outreach.channels.twilio.RetryingRequest;
import org.screening.outreach.channels.twilio.TwilioClients;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS through Twilio's Messages API with the Java SDK ({@code Message.creator(...).create(client)}).
 *
 * <p>{@link #send} renders the text, hands the blocking SDK call to {@code executor} and returns. Then:
 * <ul>
 * <li>201: nothing final is reported; {@link SmsAcceptedListener} gets the message SID. The outcome comes from
 *   the status webhook ({@link TwilioSmsStatus} maps it). StatusCallback carries {@code ?attemptId=} (campaign messages: {@code ?campaignRecipient=}) so even a
 *   message whose 201 we never saw (response timeout) can be matched to its attempt.</li>
 * <li>429 / 20429, 5xx, no connection: retried by {@link RetryingRequest} after {@link RetryPolicy#backoff}, or
 *   Twilio's Retry-After when longer (no thread sleeps), up to the policy's limits; then FAILED with
 *   {@code retriesExhausted}.</li>
 * <li>Other 4xx (21211 invalid number, 21610 unsubscribed, …): FAILED with errorCode / errorMessage / httpStatus.</li>
 * <li>Response timeout: FAILED with {@code maybeSent=true}, unless the policy allows retrying it
 *   (see {@link RetryPolicy}).</li>
 * <li>The sink's {@link OutcomeSink#stillWanted} says no when the request's turn comes (or before a retry): nothing
 *   is sent, FAILED with {@code withdrawn} (a campaign paused or cancelled while its texts waited here).</li>
 * </ul>
 * Every try sends the same parameters; the body is rendered once per attempt. Logs show the phone masked and
 * never the token. Per message only DEBUG (a campaign is a million messages) and WARN for failures; at INFO one
 * summary line per {@link #SUMMARY_EVERY} with traffic (accepted, failed, retries), written by the first message
 * after the period ends.
 */
public final class TwilioSmsAdapter implements ChannelAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioSmsAdapter.class);
    static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);

    private final TwilioRestClient client;
    private final TwilioSmsSettings settings;
    private final Capacity capacity;
    private final Function<OutboundAttempt, String> body;
    private final RetryingRequest requests;
    private final SmsAcceptedListener accepted;
    private final String callbackIdParameter;
    private final Clock clock;
    private final LongAdder acceptedCount = new LongAdder();
    private final LongAdder failedCount = new LongAdder();
    private final AtomicLong summaryFrom;

    public TwilioSmsAdapter(TwilioSmsSettings settings, Capacity capacity, Function<OutboundAttempt, String> body,
                            Executor executor, Clock clock, RetryPolicy retry, Delays delays,
                            SmsAcceptedListener accepted) {
        this(TwilioClients.create(settings.accountSid(), settings.authToken(), settings.apiBase(),
                settings.connectTimeout(), settings.responseTimeout(), Math.max(4, capacity.maxConcurrent())), settings, capacity, body, executor,
                clock, retry, delays, accepted, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** With a ready client and a jitter source, for tests and for sharing one client between adapters. */
    public TwilioSmsAdapter(TwilioRestClient client, TwilioSmsSettings settings, Capacity capacity,
                            Function<OutboundAttempt, String> body, Executor executor, Clock clock, RetryPolicy retry,
                            Delays delays, SmsAcceptedListener accepted, DoubleSupplier jitter) {
        this(client, settings, capacity, body, executor, clock, retry, delays, accepted, jitter, "attemptId");
    }

    /**
     * {@code callbackIdParameter}: the query parameter of the StatusCallback that carries the attempt id —
     * {@code attemptId} for case reminders, {@code campaignRecipient} for campaign messages (their own id space).
     */
    public TwilioSmsAdapter(TwilioRestClient client, TwilioSmsSettings settings, Capacity capacity,
                            Function<OutboundAttempt, String> body, Executor executor, Clock clock, RetryPolicy retry,
                            Delays delays, SmsAcceptedListener accepted, DoubleSupplier jitter,
                            String callbackIdParameter) {
        this.callbackIdParameter = callbackIdParameter;
        this.client = client;
        this.settings = settings;
        this.capacity = capacity;
        this.body = body;
        this.requests = new RetryingRequest("sms", executor, clock, retry, delays, jitter);
        this.accepted = accepted;
        this.clock = clock;
        this.summaryFrom = new AtomicLong(clock.millis());
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
    public long retries() {
        return requests.retriesTotal();
    }

    @Override
    public Capacity capacity() {
        return capacity;
    }

    @Override
    public void send(OutboundAttempt attempt, OutcomeSink sink) {
        MessageCreator creator;
        try { // rendering is quick CPU work; only the request goes to the executor
            creator = creator(attempt, body.apply(attempt));
        } catch (RuntimeException e) { // a template or variable problem: no request was made
            LOG.warn("sms attempt={} to={} not sent: cannot build message ({})", attempt.attemptId(),
                    Masking.phone(attempt.phone()), e.getClass().getSimpleName());
            sink.report(attempt.attemptId(), AttemptOutcome.FAILED, Map.of("provider", "twilio",
                    "error", "message_build_failed", "errorMessage", String.valueOf(Masking.redactNumbers(e.getMessage()))));
            return;
        }
        // Asked again when the request's turn comes: a campaign paused or cancelled meanwhile sends nothing more.
        requests.run(attempt.attemptId(), attempt.phone(), () -> creator.create(client),
                m -> created(attempt, m, sink), d -> {
                    if (!Boolean.TRUE.equals(d.get(OutcomeSink.WITHDRAWN))) failedCount.increment();
                    summary();
                    sink.report(attempt.attemptId(), AttemptOutcome.FAILED, d);
                }, () -> sink.stillWanted(attempt.attemptId()));
    }

    private MessageCreator creator(OutboundAttempt a, String text) {
        PhoneNumber to = new PhoneNumber(a.phone());
        MessageCreator c = settings.usesMessagingService()
                ? Message.creator(to, settings.from(), text)
                : Message.creator(to, new PhoneNumber(settings.from()), text);
        if (settings.statusCallbackUrl() != null) {
            c.setStatusCallback(settings.statusCallbackUrl() + "?" + callbackIdParameter + "=" + a.attemptId());
        }
        return c.setValidityPeriod((int) settings.validityPeriod().toSeconds());
    }

    private void created(OutboundAttempt a, Message m, OutcomeSink sink) {
        TwilioSmsStatus status = TwilioSmsStatus.parse(m.getStatus() == null ? null : m.getStatus().toString())
                .orElse(TwilioSmsStatus.QUEUED);
        if (LOG.isDebugEnabled()) { // masking the number costs more than the send's own bookkeeping
            LOG.debug("sms attempt={} to={} accepted sid={} status={}", a.attemptId(), Masking.phone(a.phone()),
                    m.getSid(), status.wireName());
        }
        acceptedCount.increment();
        summary();
        try {
            accepted.accepted(a.attemptId(), m.getSid(), status);
        } catch (RuntimeException e) { // the message is out; a failing listener must not look like a failed send
            LOG.error("sms attempt={} sid={}: storing the message SID failed ({})", a.attemptId(), m.getSid(),
                    e.getClass().getSimpleName());
        }
        // Twilio may refuse at once with a final status in the 201 (rare); that is the outcome then. Otherwise the
        // final status comes on the status webhook and the dispatcher must not hold the slot or the lease for it.
        status.outcome().ifPresentOrElse(o -> sink.report(a.attemptId(), o, details(m, status)),
                () -> sink.accepted(a.attemptId(), m.getSid()));
    }

    /** Logs the counts once the period is over; one thread wins the swap, the others only count. */
    private void summary() {
        long from = summaryFrom.get();
        long now = clock.millis();
        if (now - from < SUMMARY_EVERY.toMillis() || !summaryFrom.compareAndSet(from, now)) return;
        // the callback parameter tells the reminder adapter's line from the campaign adapter's
        LOG.info("sms via twilio ({}) in the last {} s: {} accepted, {} failed, {} retries", callbackIdParameter,
                (now - from) / 1000, acceptedCount.sumThenReset(), failedCount.sumThenReset(), requests.takeRetryCount());
    }

    /** A final status in the 201 itself, with Twilio's error code and message when it gave them (a refusal). */
    private static Map<String, Object> details(Message m, TwilioSmsStatus status) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("provider", "twilio");
        d.put("messageSid", m.getSid());
        d.put("twilioStatus", status.wireName());
        if (m.getErrorCode() != null) d.put("errorCode", m.getErrorCode());
        if (m.getErrorMessage() != null) d.put("errorMessage", Masking.redactNumbers(m.getErrorMessage()));
        return d;
    }
}
