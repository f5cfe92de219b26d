package org.screening.outreach.web.webhooks;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.screening.outreach.channels.voice.twilio.TwilioCallStatus;
import org.screening.outreach.channels.voice.twilio.TwilioVoiceSettings;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.ivr.BrokenOffCalls;
import org.screening.outreach.ivr.CallEvent;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.Instruction;
import org.screening.outreach.ivr.IvrScript;
import org.screening.outreach.ivr.twiml.TwilioVoices;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/twilio/voice/{attemptId}?lang=…[&seen=n]} (after {@link TwilioSignature}): answers the call
 * with the IVR's next step as TwiML. The first request (no {@code seen}) starts the script; each {@code <Gather>}
 * posts the keys back with {@code seen} = the number of events the call had when that TwiML was made, so a
 * request Twilio repeats gets the same TwiML again and records nothing twice ({@link Conversations}).
 *
 * <p>A machine (AnsweredBy from machine detection) is hung up on at once: no message is left. If our storage
 * fails, or the step is not ready within {@link #STEP_BUDGET} (a database that does not answer holds a request for
 * the pool's 10 s connection timeout, and Twilio gives up after 15 s), the callee hears an apology instead of
 * Twilio's English "application error". A call cannot wait for the database; what the apology promised can: the
 * call is first kept as broken off ({@link BrokenOffCalls}, a mark in the webhook spool), so once the database is
 * back the attempt ends FAILED {@code ivr_failed} and the plan calls again, whatever its status callback (spooled
 * behind the mark) says.
 */
public final class VoiceCallWebhook {
    private static final Logger LOG = LoggerFactory.getLogger(VoiceCallWebhook.class);
    /** Time an IVR step may take before the callee gets the apology; well inside Twilio's 15 s. */
    static final Duration STEP_BUDGET = Duration.ofSeconds(8);

    private final Conversations conversations;
    /** Script language → its renderer (a {@code <Say language>} voice per language). */
    private final TwilioVoices voices;
    private final String publicUrl;
    private final Blocking blocking;
    private final String hangup;
    private final String language;
    private final BrokenOffCalls brokenOff;

    public VoiceCallWebhook(Conversations conversations, TwilioVoices voices, String publicUrl, Blocking blocking,
                            BrokenOffCalls brokenOff) {
        this.conversations = conversations;
        this.brokenOff = brokenOff;
        this.language = conversations.script().language();
        this.voices = voices;
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.blocking = blocking;
        this.hangup = voices.rendererFor(language).render(List.of(new Instruction.Hangup()), null);
    }

    /**
     * The script's apology in the call's language, which its URLs carry ({@link TwilioVoiceSettings#LANGUAGE_PARAM}):
     * the database that knows the case is what failed. A URL without it (a call placed before it was added) gets the
     * configured one.
     */
    private String apology(RoutingContext ctx) {
        String lang = ctx.queryParams().get(TwilioVoiceSettings.LANGUAGE_PARAM);
        IvrScript script = conversations.scriptFor(lang == null ? language : CaseLanguage.ofTag(lang).tag());
        return voices.rendererFor(script.language())
                .render(Conversations.apology(script), null);
    }

    public void handle(RoutingContext ctx) {
        Optional<Long> attemptId = number(ctx.pathParam("attemptId"));
        if (attemptId.isEmpty()) {
            Replies.error(ctx, 404, "not_found", "no such call");
            return;
        }
        long id = attemptId.get();
        MultiMap form = ctx.request().formAttributes();
        if (TwilioCallStatus.isMachine(form.get("AnsweredBy"))) {
            LOG.info("call attempt={} answered by {}: hung up, no message left", id, form.get("AnsweredBy"));
            twiml(ctx, hangup);
            return;
        }
        String seenRaw = ctx.queryParams().get("seen");
        // An unreadable seen is no event of ours: -1 never matches, so it gets the stored reply.
        int seen = seenRaw == null ? 0 : number(seenRaw).map(Long::intValue).orElse(-1);
        CallEvent event = seenRaw == null ? new CallEvent.Started() : CallEvent.keys(keys(form.get("Digits")));
        String action = publicUrl + TwilioVoiceSettings.CALL_PATH + id + "?" + TwilioVoiceSettings.LANGUAGE_PARAM + "=";
        AtomicBoolean answered = new AtomicBoolean();
        long timer = ctx.vertx().setTimer(STEP_BUDGET.toMillis(), t -> {
            if (answered.compareAndSet(false, true)) {
                LOG.error("call attempt={}: IVR step not ready in {}, apologising", id, STEP_BUDGET);
                brokeOff(ctx, id);
            }
        });
        blocking.run(() -> conversations.handle(id, event, seen,
                (instructions, events, lang) -> voices.rendererFor(lang)
                        .render(instructions, action + lang + "&seen=" + events))).onComplete(ar -> {
            ctx.vertx().cancelTimer(timer);
            if (!answered.compareAndSet(false, true)) return; // the callee heard the apology already
            if (ar.failed()) {
                LOG.error("call attempt={}: IVR step failed, apologising ({})", id,
                        Masking.redactNumbers(ar.cause().toString()));
                brokeOff(ctx, id);
                return;
            }
            if (ar.result().isEmpty()) LOG.warn("call webhook for unknown attempt={}: hung up", id);
            // A call closed by its status callback (or settled unreported) stored no TwiML of its own: a request
            // arriving after that gets a hang-up, not an empty document (Twilio's "application error").
            twiml(ctx, ar.result().map(Conversations.Reply::rendered).filter(r -> !r.isEmpty()).orElse(hangup));
        });
    }

    /**
     * The step cannot be answered: the call is kept as broken off, then the callee hears the apology. Kept first, so
     * that the status callback, which follows the apology's hang-up, queues behind the mark; when it cannot be kept
     * the apology is said all the same.
     */
    private void brokeOff(RoutingContext ctx, long id) {
        brokenOff.keep(id, "twilio").whenComplete((kept, e) -> {
            if (e != null) {
                LOG.error("call attempt={}: broken-off call not kept ({}); its status callback settles it",
                        id, Masking.redactNumbers(String.valueOf(e)));
            }
            twiml(ctx, apology(ctx));
        });
    }

    /** Only keypad characters count; anything else Twilio would never send. */
    private static String keys(String digits) {
        return digits == null ? null : digits.replaceAll("[^0-9*#]", "");
    }

    private static void twiml(RoutingContext ctx, String xml) {
        if (ctx.response().ended()) return;
        ctx.response().putHeader("Content-Type", "text/xml; charset=utf-8").end(xml);
    }

    static Optional<Long> number(String raw) {
        if (raw == null || raw.isBlank() || raw.strip().length() > 18) return Optional.empty();
        try {
            long v = Long.parseLong(raw.strip());
            return v < 0 ? Optional.empty() : Optional.of(v);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
