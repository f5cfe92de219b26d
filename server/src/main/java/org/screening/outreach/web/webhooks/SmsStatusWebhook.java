package org.screening.outreach.web.webhooks;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Optional;
import org.screening.outreach.channels.sms.twilio.TwilioSmsStatus;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.web.webhooks.spool.CallbackApplier;
import org.screening.outreach.web.webhooks.spool.DurableCallbacks;
import org.screening.outreach.web.webhooks.spool.WebhookCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/twilio/sms/status?attemptId=…} (after {@link TwilioSignature}): Twilio's StatusCallback.
 * Answers 204 for anything signed, known or not — a non-2xx only makes Twilio retry (when retries are on) and
 * fill its debugger with errors for callbacks we can never use. When our storage fails the callback is spooled
 * ({@link DurableCallbacks}) and still answered 204: Twilio would not send it again.
 */
public final class SmsStatusWebhook implements CallbackApplier {
    private static final Logger LOG = LoggerFactory.getLogger(SmsStatusWebhook.class);

    private final SmsStatusUpdates updates;
    private final DurableCallbacks durable;
    private final Clock clock;

    /** Campaign messages' callbacks ({@code ?campaignRecipient=}); null: ignored with 204. */
    private final CampaignSmsStatus campaigns;

    public SmsStatusWebhook(SmsStatusUpdates updates, DurableCallbacks durable, Clock clock, CampaignSmsStatus campaigns) {
        this.updates = updates;
        this.durable = durable;
        this.clock = clock;
        this.campaigns = campaigns;
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
        if (c.query().containsKey(CampaignSmsStatus.PARAMETER)) {
            // Same route as DESIGN.md states; campaign recipients are their own id space.
            return campaigns == null ? Optional.empty() : campaigns.applying(c);
        }
        String sid = cut(blankToNull(c.form("MessageSid")), SID_LENGTH);
        String to = Masking.phone(c.form("To"));
        Optional<Long> attemptId = attemptId(c.query("attemptId"));
        Optional<TwilioSmsStatus> status = TwilioSmsStatus.parse(c.form("MessageStatus"));
        if (attemptId.isEmpty() || status.isEmpty()) {
            LOG.warn("sms status callback ignored: attemptId={} sid={} to={} status={}",
                    Masking.redactNumbers(c.query("attemptId")), sid, to, Masking.redactNumbers(c.form("MessageStatus")));
            return Optional.empty();
        }
        long id = attemptId.get();
        String errorCode = cut(blankToNull(c.form("ErrorCode")), ERROR_CODE_LENGTH);
        return Optional.of(() -> {
            SmsStatusUpdates.Result r = updates.apply(id, sid, status.get(), errorCode, c.receivedAt());
            if (r == SmsStatusUpdates.Result.UNKNOWN_ATTEMPT) {
                LOG.warn("sms status callback for unknown attempt={} sid={} to={} status={}", id, sid, to,
                        status.get().wireName());
            } else {
                LOG.debug("sms status attempt={} sid={} to={} status={} error={} → {}", id, sid, to,
                        status.get().wireName(), errorCode, r);
            }
        });
    }

    private static Optional<Long> attemptId(String raw) {
        try {
            return raw == null ? Optional.empty() : Optional.of(Long.parseLong(raw.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * What the status tables keep of a message SID (Twilio's are 34 characters) and of an error code (5 digits). A
     * longer value is no Twilio's, but it must not fail the write: a callback that cannot be written is spooled,
     * holds back the callbacks behind it and is set aside only after its tries.
     */
    static final int SID_LENGTH = 64;
    static final int ERROR_CODE_LENGTH = 16;

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
