package org.screening.outreach.web.webhooks;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.channels.voice.twilio.TwilioCallStatus;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.ivr.CallOutcomes;
import org.screening.outreach.web.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/twilio/voice/status?attemptId=…} (after {@link TwilioSignature}): the call's final
 * status. 204 for anything signed, known or not (a non-2xx only fills Twilio's debugger); 500 only when our own
 * storage fails, and then the attempt's lease is not involved: the next status or the reaper settles it.
 */
public final class VoiceStatusWebhook {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceStatusWebhook.class);

    private final CallOutcomes updates;
    private final Blocking blocking;
    private final Clock clock;

    public VoiceStatusWebhook(CallOutcomes updates, Blocking blocking, Clock clock) {
        this.updates = updates;
        this.blocking = blocking;
        this.clock = clock;
    }

    public void handle(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        Optional<Long> attemptId = VoiceCallWebhook.number(ctx.queryParams().get("attemptId"));
        Optional<TwilioCallStatus> status = TwilioCallStatus.parse(form.get("CallStatus"));
        String answeredBy = SmsStatusWebhook.blankToNull(form.get("AnsweredBy"));
        Optional<AttemptOutcome> outcome = status.flatMap(s -> s.outcome(answeredBy));
        if (attemptId.isEmpty() || outcome.isEmpty()) {
            if (attemptId.isEmpty() || status.isEmpty()) {
                LOG.warn("call status callback ignored: attemptId={} status={}",
                        Masking.redactNumbers(ctx.queryParams().get("attemptId")), Masking.redactNumbers(form.get("CallStatus")));
            }
            ctx.response().setStatusCode(204).end();
            return;
        }
        long id = attemptId.get();
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("provider", "twilio");
        putIfPresent(facts, "callSid", form.get("CallSid"));
        facts.put("twilioStatus", status.get().wireName());
        VoiceCallWebhook.number(form.get("CallDuration")).ifPresent(d -> facts.put("durationSeconds", d));
        putIfPresent(facts, "answeredBy", answeredBy);
        putIfPresent(facts, "errorCode", form.get("ErrorCode"));
        blocking.run(() -> updates.ended(id, outcome.get(), facts, clock.instant())).onSuccess(applied -> {
            LOG.info("call attempt={} sid={} status={} → {}{}", id, facts.get("callSid"), status.get().wireName(),
                    outcome.get(), applied ? "" : " (already settled)");
            ctx.response().setStatusCode(204).end();
        }).onFailure(ctx::fail);
    }

    private static void putIfPresent(Map<String, Object> m, String key, String value) {
        String v = SmsStatusWebhook.blankToNull(value);
        if (v != null) m.put(key, Masking.redactNumbers(v));
    }
}
