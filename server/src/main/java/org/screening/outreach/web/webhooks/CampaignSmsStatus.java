package org.screening.outreach.web.webhooks;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import org.screening.outreach.campaigns.CampaignStore;
import org.screening.outreach.campaigns.RecipientStatus;
import org.screening.outreach.channels.sms.twilio.TwilioSmsStatus;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.web.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status callbacks of campaign messages: {@code POST /webhooks/twilio/sms/status?campaignRecipient=…} (the campaign
 * adapter's StatusCallback; case reminders carry {@code ?attemptId=}, their own id space). Applied monotonically by
 * the store; answers 204 to anything signed, like the case callbacks.
 */
public final class CampaignSmsStatus {
    public static final String PARAMETER = "campaignRecipient";
    private static final Logger LOG = LoggerFactory.getLogger(CampaignSmsStatus.class);
    private final CampaignStore store;
    private final Blocking blocking;

    public CampaignSmsStatus(CampaignStore store, Blocking blocking) {
        this.store = store;
        this.blocking = blocking;
    }

    /** Twilio's wire status as a recipient status; empty for values that say nothing about delivery. */
    static Optional<RecipientStatus> of(TwilioSmsStatus s) {
        return Optional.ofNullable(switch (s) {
            case ACCEPTED, SCHEDULED, QUEUED, SENDING -> RecipientStatus.QUEUED;
            case SENT -> RecipientStatus.SENT;
            case DELIVERED, PARTIALLY_DELIVERED, READ -> RecipientStatus.DELIVERED;
            case UNDELIVERED, FAILED, CANCELED -> RecipientStatus.FAILED;
        });
    }

    void handle(RoutingContext ctx) {
        MultiMap form = ctx.request().formAttributes();
        String raw = ctx.queryParams().get(PARAMETER);
        Optional<RecipientStatus> status = TwilioSmsStatus.parse(form.get("MessageStatus")).flatMap(CampaignSmsStatus::of);
        long id;
        try {
            id = Long.parseLong(raw.strip());
        } catch (RuntimeException e) {
            id = -1;
        }
        if (id < 0 || status.isEmpty()) {
            LOG.warn("campaign sms status callback ignored: recipient={} status={}", Masking.redactNumbers(raw),
                    Masking.redactNumbers(form.get("MessageStatus")));
            ctx.response().setStatusCode(204).end();
            return;
        }
        long recipient = id;
        String sid = SmsStatusWebhook.blankToNull(form.get("MessageSid"));
        String error = SmsStatusWebhook.blankToNull(form.get("ErrorCode"));
        String code = error == null ? null : error.length() > 16 ? error.substring(0, 16) : error;
        blocking.run(() -> store.advance(recipient, status.get(), sid, code)).onSuccess(applied -> {
            LOG.debug("campaign sms status recipient={} sid={} status={} → {}", recipient, sid, status.get(),
                    applied ? "applied" : "stale");
            ctx.response().setStatusCode(204).end();
        }).onFailure(ctx::fail);
    }
}
