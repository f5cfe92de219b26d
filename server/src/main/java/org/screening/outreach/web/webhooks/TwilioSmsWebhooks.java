package org.screening.outreach.web.webhooks;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;

/** The Twilio SMS routes of DESIGN.md's HTTP contract, each behind the signature check. */
public final class TwilioSmsWebhooks {
    public static final String STATUS_PATH = "/webhooks/twilio/sms/status";
    public static final String INBOUND_PATH = "/webhooks/twilio/sms/inbound";
    // Twilio's SMS callbacks are a few kB of form fields; anything far larger is not Twilio.
    private static final long BODY_LIMIT = 64 * 1024;

    private TwilioSmsWebhooks() {}

    public static void mount(Router router, TwilioSignature signature, SmsStatusWebhook status, SmsInboundWebhook inbound) {
        router.post(STATUS_PATH).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(signature)
                .handler(status::handle);
        router.post(INBOUND_PATH).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT)).handler(signature)
                .handler(inbound::handle);
    }
}
