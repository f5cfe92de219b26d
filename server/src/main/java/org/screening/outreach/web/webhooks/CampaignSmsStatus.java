package org.screening.outreach.web.webhooks;

import java.util.Optional;
import org.screening.outreach.campaigns.CampaignStore;
import org.screening.outreach.campaigns.RecipientStatus;
import org.screening.outreach.channels.sms.twilio.TwilioSmsStatus;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.web.webhooks.spool.CallbackApplier;
import org.screening.outreach.web.webhooks.spool.WebhookCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Status callbacks of campaign messages: {@code POST /webhooks/twilio/sms/status?campaignRecipient=…} (the campaign
 * adapter's StatusCallback; case reminders carry {@code ?attemptId=}, their own id space). Applied monotonically by
 * the store (a status never moves back, so a replayed callback changes nothing); {@link SmsStatusWebhook} answers
 * and spools them like the case callbacks.
 */
public final class CampaignSmsStatus {
    public static final String PARAMETER = "campaignRecipient";
    private static final Logger LOG = LoggerFactory.getLogger(CampaignSmsStatus.class);
    private final CampaignStore store;

    public CampaignSmsStatus(CampaignStore store) {
        this.store = store;
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

    /** The work that applies a campaign message's status (see {@link CallbackApplier}); empty for one we cannot use. */
    Optional<Runnable> applying(WebhookCallback c) {
        String raw = c.query(PARAMETER);
        Optional<RecipientStatus> status = TwilioSmsStatus.parse(c.form("MessageStatus")).flatMap(CampaignSmsStatus::of);
        long id;
        try {
            id = Long.parseLong(raw.strip());
        } catch (RuntimeException e) {
            id = -1;
        }
        if (id < 0 || status.isEmpty()) {
            LOG.warn("campaign sms status callback ignored: recipient={} status={}", Masking.redactNumbers(raw),
                    Masking.redactNumbers(c.form("MessageStatus")));
            return Optional.empty();
        }
        long recipient = id;
        String sid = SmsStatusWebhook.cut(SmsStatusWebhook.blankToNull(c.form("MessageSid")), SmsStatusWebhook.SID_LENGTH);
        String code = SmsStatusWebhook.cut(SmsStatusWebhook.blankToNull(c.form("ErrorCode")),
                SmsStatusWebhook.ERROR_CODE_LENGTH);
        return Optional.of(() -> {
            boolean applied = store.advance(recipient, status.get(), sid, code);
            LOG.debug("campaign sms status recipient={} sid={} status={} → {}", recipient, sid, status.get(),
                    applied ? "applied" : "stale");
        });
    }
}
