package org.screening.outreach.web.webhooks;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.channels.voice.twilio.TwilioCallStatus;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.ivr.CallOutcomes;
import org.screening.outreach.web.webhooks.spool.CallbackApplier;
import org.screening.outreach.web.webhooks.spool.DurableCallbacks;
import org.screening.outreach.web.webhooks.spool.WebhookCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/twilio/voice/status?attemptId=…} (after {@link TwilioSignature}): the call's final
 * status. 204 for anything signed, known or not (a non-2xx only fills Twilio's debugger). When our storage fails
 * the status is spooled ({@link DurableCallbacks}), still answered 204, and settles the attempt once the database is
 * back; an attempt settles once, so a replayed status changes nothing.
 */
public final class VoiceStatusWebhook implements CallbackApplier {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceStatusWebhook.class);

    private final CallOutcomes updates;
    private final DurableCallbacks durable;
    private final Clock clock;

    public VoiceStatusWebhook(CallOutcomes updates, DurableCallbacks durable, Clock clock) {
        this.updates = updates;
        this.durable = durable;
        this.clock = clock;
    }

    public void handle(RoutingContext ctx) {
        WebhookCallback callback = WebhookCallback.of(ctx, clock.instant());
        Optional<Runnable> work = applying(callback);
        if (work.isEmpty()) {
            ctx.response().setStatusCode(204).end();
            return;
        }
        durable.accept(ctx, callback, work.get(), () -> ctx.response().setStatusCode(204).end());
    }

    @Override
    public Optional<Runnable> applying(WebhookCallback c) {
        Optional<Long> attemptId = VoiceCallWebhook.number(c.query("attemptId"));
        Optional<TwilioCallStatus> status = TwilioCallStatus.parse(c.form("CallStatus"));
        String answeredBy = SmsStatusWebhook.blankToNull(c.form("AnsweredBy"));
        Optional<AttemptOutcome> outcome = status.flatMap(s -> s.outcome(answeredBy));
        if (attemptId.isEmpty() || outcome.isEmpty()) {
            if (attemptId.isEmpty() || status.isEmpty()) {
                LOG.warn("call status callback ignored: attemptId={} status={}",
                        Masking.redactNumbers(c.query("attemptId")), Masking.redactNumbers(c.form("CallStatus")));
            }
            return Optional.empty();
        }
        long id = attemptId.get();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("provider", "twilio");
        putIfPresent(facts, "callSid", c.form("CallSid"));
        facts.put("twilioStatus", status.get().wireName());
        VoiceCallWebhook.number(c.form("CallDuration")).ifPresent(d -> facts.put("durationSeconds", d));
        putIfPresent(facts, "answeredBy", answeredBy);
        putIfPresent(facts, "errorCode", c.form("ErrorCode"));
        return Optional.of(() -> {
            boolean applied = updates.ended(id, outcome.get(), facts, c.receivedAt());
            LOG.info("call attempt={} sid={} status={} → {}{}", id, facts.get("callSid"), status.get().wireName(),
                    outcome.get(), applied ? "" : " (already settled)");
        });
    }

    private static void putIfPresent(Map<String, Object> m, String key, String value) {
        String v = SmsStatusWebhook.blankToNull(value);
        if (v != null) m.put(key, Masking.redactNumbers(v));
    }
}
