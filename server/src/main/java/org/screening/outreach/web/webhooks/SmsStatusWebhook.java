package org.screening.outreach.web.webhooks;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.screening.outreach.channels.sms.twilio.TwilioSmsStatus;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.web.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/twilio/sms/status?attemptId=…} (after {@link TwilioSignature}): Twilio's StatusCallback.
 * Answers 204 for anything signed, known or not — a non-2xx only makes Twilio retry (when retries are on) and
 * fill its debugger with errors for callbacks we can never use. Only a failure of our own storage answers 500.
 */
public final class SmsStatusWebhook {
    private static final Logger LOG = LoggerFactory.getLogger(SmsStatusWebhook.class);

    private final SmsStatusUpdates updates;
    private final Blocking blocking;
    private final Clock clock;

    /** Campaign messages' callbacks ({@code ?campaignRecipient=}); null: ignored with 204. */
    private final CampaignSmsStatus campaigns;

    public SmsStatusWebhook(SmsStatusUpdates updates, Blocking blocking, Clock clock) {
        this(updates, blocking, clock, null);
    }

    public SmsStatusWebhook(SmsStatusUpdates updates, Blocking blocking, Clock clock, CampaignSmsStatus campaigns) {
        this.updates = updates;
        this.blocking = blocking;
        this.clock = clock;
        this.campaigns = campaigns;
    }

    public void handle(RoutingContext ctx) {
        if (campaigns != null && ctx.queryParams().contains(CampaignSmsStatus.PARAMETER)) {
            campaigns.handle(ctx); // same route as DESIGN.md states; campaign recipients are their own id space
            return;
        }
        MultiMap form = ctx.request().formAttributes();
        String sid = blankToNull(form.get("MessageSid"));
        String to = Masking.phone(form.get("To"));
        Optional<Long> attemptId = attemptId(ctx.queryParams().get("attemptId"));
        Optional<TwilioSmsStatus> status = TwilioSmsStatus.parse(form.get("MessageStatus"));
        if (attemptId.isEmpty() || status.isEmpty()) {
            LOG.warn("sms status callback ignored: attemptId={} sid={} to={} status={}",
                    Masking.redactNumbers(ctx.queryParams().get("attemptId")), sid, to,
                    Masking.redactNumbers(form.get("MessageStatus")));
            ctx.response().setStatusCode(204).end();
            return;
        }
        long id = attemptId.get();
        String errorCode = blankToNull(form.get("ErrorCode"));
        Instant now = clock.instant();
        blocking.run(() -> updates.apply(id, sid, status.get(), errorCode, now)).onSuccess(r -> {
            if (r == SmsStatusUpdates.Result.UNKNOWN_ATTEMPT) {
                LOG.warn("sms status callback for unknown attempt={} sid={} to={} status={}", id, sid, to,
                        status.get().wireName());
            } else {
                LOG.debug("sms status attempt={} sid={} to={} status={} error={} → {}", id, sid, to,
                        status.get().wireName(), errorCode, r);
            }
            ctx.response().setStatusCode(204).end();
        }).onFailure(ctx::fail);
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
}
