package org.screening.outreach.web.webhooks;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.messaging.Message;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.sms.OptOutKeywords;
import org.screening.outreach.sms.OptOuts;
import org.screening.outreach.web.webhooks.spool.CallbackApplier;
import org.screening.outreach.web.webhooks.spool.DurableCallbacks;
import org.screening.outreach.web.webhooks.spool.WebhookCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/twilio/sms/inbound} (after {@link TwilioSignature}): STOP / 退订 / TD / T (and Twilio's own
 * opt-out words, see {@link OptOutKeywords}) put the sender on
 * the opt-out list, START / 订阅 take them off, each answered with a TwiML confirmation; anything else goes to an
 * optional {@link InboundSmsListener} and gets an empty {@code <Response/>} (no automatic reply). When our storage
 * fails the message is spooled ({@link DurableCallbacks}) and confirmed all the same: the opt-out is on disk and is
 * applied, in arrival order, once the database is back. Applying one twice is harmless (the list is a set).
 */
public final class SmsInboundWebhook implements CallbackApplier {
    private static final Logger LOG = LoggerFactory.getLogger(SmsInboundWebhook.class);
    // Twilio sends From in E.164; anything else (alphanumeric sender, "whatsapp:+…") is no number we can list.
    private static final Pattern E164 = Pattern.compile("\\+[1-9]\\d{6,14}");

    // Opting out stops reminder SMS only: screening is a legal duty, so calls and door knocks still come.
    static final String OPTED_OUT = "您已退订提醒短信，回复“订阅”可恢复。社区工作人员仍可能致电核实。"
            + " You will get no more reminder SMS; reply START to resume. Community staff may still call you.";
    static final String OPTED_IN = "您已恢复接收提醒短信，回复“退订”可停止。"
            + " You will get reminder SMS again; reply STOP to stop.";

    private final OptOuts optOuts;
    private final InboundSmsListener others;
    private final DurableCallbacks durable;
    private final Clock clock;

    /** {@code others} may be null: non-keyword messages are then only acknowledged. */
    public SmsInboundWebhook(OptOuts optOuts, InboundSmsListener others, DurableCallbacks durable, Clock clock) {
        this.optOuts = optOuts;
        this.others = others;
        this.durable = durable;
        this.clock = clock;
    }

    public void handle(RoutingContext ctx) {
        WebhookCallback callback = WebhookCallback.of(ctx, clock.instant());
        Optional<Runnable> work = applying(callback);
        // The confirmation depends on the keyword alone, so it is the same whether applied now or from the spool.
        OptOutKeywords.Keyword keyword = work.isEmpty() ? OptOutKeywords.Keyword.NONE : OptOutKeywords.of(callback.form("Body"));
        String reply = response(switch (keyword) {
            case OPT_OUT -> OPTED_OUT;
            case OPT_IN -> OPTED_IN;
            case NONE -> null;
        });
        if (work.isEmpty()) {
            twiml(ctx, reply);
            return;
        }
        durable.accept(ctx, callback, work.get(), () -> twiml(ctx, reply));
    }

    @Override
    public Optional<Runnable> applying(WebhookCallback c) {
        String raw = c.form("From");
        String from = raw == null ? null : raw.replaceAll("\\s", "");
        String body = c.form("Body");
        String sid = SmsStatusWebhook.blankToNull(c.form("MessageSid"));
        if (from == null || !E164.matcher(from).matches()) {
            LOG.warn("inbound sms sid={} from a sender that is not an E.164 number ({}): ignored", sid, Masking.phone(raw));
            return Optional.empty();
        }
        OptOutKeywords.Keyword keyword = OptOutKeywords.of(body);
        if (keyword == OptOutKeywords.Keyword.NONE && others == null) return Optional.empty();
        Instant at = c.receivedAt();
        return Optional.of(() -> {
            switch (keyword) {
                case OPT_OUT -> optOuts.optOut(from, at);
                case OPT_IN -> optOuts.optIn(from, at);
                case NONE -> others.received(from, body == null ? "" : body, sid, at);
            }
            LOG.info("inbound sms sid={} from={} → {}", sid, Masking.phone(from), keyword);
        });
    }

    /** {@code <Response/>}, or one {@code <Message>} with the text. */
    static String response(String text) {
        MessagingResponse.Builder b = new MessagingResponse.Builder();
        if (text != null) b.message(new Message.Builder(text).build());
        try {
            return b.build().toXml();
        } catch (TwiMLException e) { // only for a broken XML library; not something a sender can cause
            throw new IllegalStateException("cannot render TwiML", e);
        }
    }

    private static void twiml(RoutingContext ctx, String xml) {
        if (ctx.response().ended()) return;
        ctx.response().setStatusCode(200).putHeader("Content-Type", "text/xml; charset=utf-8").end(xml);
    }
}
