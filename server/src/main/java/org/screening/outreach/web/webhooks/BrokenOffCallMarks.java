package org.screening.outreach.web.webhooks;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.screening.outreach.ivr.BrokenOffCalls;
import org.screening.outreach.ivr.CallOutcomes;
import org.screening.outreach.web.webhooks.spool.CallbackApplier;
import org.screening.outreach.web.webhooks.spool.DurableCallbacks;
import org.screening.outreach.web.webhooks.spool.WebhookCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broken-off calls kept in the webhook spool ({@link BrokenOffCalls}): a mark per call, written when its conversation
 * breaks off (a Twilio step that could not be stored, an Asterisk AGI session that apologised) and applied by the
 * replay job once the database is back, as {@link CallOutcomes#brokeOff}. Spooled in arrival order, a Twilio call's
 * mark is applied before its status callback, which comes after the apology and queues behind it: the attempt ends
 * FAILED {@code ivr_failed}, and the status ("completed") finds it settled. Applying a mark again (a step Twilio
 * repeated, a replay cut short) changes nothing: an attempt settles once.
 *
 * <p>The spool is the disk of the node that took the request: a status callback that reaches another node while
 * the database is down may be applied there first, and a mark cannot undo it.
 */
public final class BrokenOffCallMarks implements BrokenOffCalls, CallbackApplier {
    /** The spool path of marks; no route serves it. */
    public static final String PATH = "/ivr/broke-off";
    private static final Logger LOG = LoggerFactory.getLogger(BrokenOffCallMarks.class);

    private final DurableCallbacks durable;
    private final CallOutcomes calls;
    private final Clock clock;

    public BrokenOffCallMarks(DurableCallbacks durable, CallOutcomes calls, Clock clock) {
        this.durable = durable;
        this.calls = calls;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Void> keep(long attemptId, String provider) {
        WebhookCallback mark = new WebhookCallback(PATH, Map.of("attemptId", Long.toString(attemptId)),
                Map.of("provider", provider), clock.instant());
        return durable.keep(mark).<Void>mapEmpty().toCompletionStage();
    }

    @Override
    public Optional<Runnable> applying(WebhookCallback mark) {
        Optional<Long> attemptId = VoiceCallWebhook.number(mark.query("attemptId"));
        String provider = mark.form("provider");
        if (attemptId.isEmpty() || provider == null) return Optional.empty();
        long id = attemptId.get();
        return Optional.of(() -> {
            boolean applied = calls.brokeOff(id, Map.of("provider", provider), mark.receivedAt());
            LOG.info("call attempt={} broke off on our side → FAILED {}{}", id, CallOutcomes.BROKE_OFF,
                    applied ? "" : " (already settled)");
        });
    }
}
