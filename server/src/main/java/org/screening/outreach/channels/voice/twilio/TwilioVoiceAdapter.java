package org.screening.outreach.channels.voice.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Call;
import com.twilio.rest.api.v2010.account.CallCreator;
import com.twilio.type.PhoneNumber;
import java.time.Clock;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
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
 * Calls through Twilio's Calls API ({@code Call.creator(to, from, url).create(client)}). Twilio then fetches
 * TwiML from {@code /webhooks/twilio/voice/{attemptId}} (the IVR, one step per request) and posts the final
 * status to {@code /webhooks/twilio/voice/status?attemptId=…}, which settles the attempt. Machine detection makes
 * Twilio tell a person from an answering machine before the first webhook, so a machine gets no message.
 *
 * <p>On 201 the attempt is handed over ({@link OutcomeSink#accepted}) with the call SID; failures are retried
 * like SMS ({@link RetryingRequest}): 429 and 5xx with backoff (or Retry-After), other 4xx (21211 invalid number, 21215 region
 * not enabled, …) fail the attempt with Twilio's code, and the plan's next call or door knock follows.
 */
public final class TwilioVoiceAdapter implements ChannelAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioVoiceAdapter.class);

    private final TwilioRestClient client;
    private final TwilioVoiceSettings settings;
    private final Capacity capacity;
    private final RetryingRequest requests;

    public TwilioVoiceAdapter(TwilioVoiceSettings settings, Capacity capacity, Executor executor, Clock clock,
                              RetryPolicy retry, Delays delays) {
        this(TwilioClients.create(settings.accountSid(), settings.authToken(), settings.apiBase(),
                        settings.connectTimeout(), settings.responseTimeout(), Math.max(4, capacity.maxConcurrent())),
                settings, capacity, new RetryingRequest("call", executor, clock, retry, delays,
                        () -> ThreadLocalRandom.current().nextDouble()));
    }

    public TwilioVoiceAdapter(TwilioRestClient client, TwilioVoiceSettings settings, Capacity capacity,
                              RetryingRequest requests) {
        this.client = client;
        this.settings = settings;
        this.capacity = capacity;
        this.requests = requests;
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.VOICE;
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
    public void send(OutboundAttempt a, OutcomeSink sink) {
        CallCreator creator = Call.creator(new PhoneNumber(a.phone()), new PhoneNumber(settings.from()),
                        settings.callUrl(a.attemptId(), a.language()))
                .setMethod(HttpMethod.POST)
                .setStatusCallback(settings.statusUrl(a.attemptId()))
                .setStatusCallbackMethod(HttpMethod.POST)
                .setTimeout((int) settings.ringTimeout().toSeconds())
                .setTimeLimit((int) settings.timeLimit().toSeconds());
        if (settings.machineDetection()) creator.setMachineDetection("Enable");
        requests.run(a.attemptId(), a.phone(), () -> creator.create(client), call -> {
            LOG.info("call attempt={} to={} placed sid={}", a.attemptId(), Masking.phone(a.phone()), call.getSid());
            sink.accepted(a.attemptId(), call.getSid());
        }, d -> sink.report(a.attemptId(), AttemptOutcome.FAILED, d));
    }
}
