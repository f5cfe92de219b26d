package org.screening.outreach.web.webhooks;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import org.screening.outreach.channels.voice.twilio.TwilioVoiceSettings;

/** The Twilio Voice routes of DESIGN.md's HTTP contract, each behind the signature check. */
public final class TwilioVoiceWebhooks {
    // Twilio's voice callbacks are a few kB of form fields; anything far larger is not Twilio.
    private static final long BODY_LIMIT = 64 * 1024;

    private TwilioVoiceWebhooks() {}

    public static void mount(Router router, TwilioSignature signature, VoiceCallWebhook call, VoiceStatusWebhook status) {
        // The status route first: "status" would otherwise be read as an attempt id.
        router.post(TwilioVoiceSettings.STATUS_PATH).handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT))
                .handler(signature).handler(status::handle);
        router.post(TwilioVoiceSettings.CALL_PATH + ":attemptId").handler(BodyHandler.create(false)
                .setBodyLimit(BODY_LIMIT)).handler(signature).handler(call::handle);
    }
}
