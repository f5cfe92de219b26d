package org.screening.outreach.channels.voice.twilio;

import java.net.URI;
import java.time.Duration;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.Masking;

/**
 * The Twilio Voice configuration: account (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN), the caller number
 * (TWILIO_FROM), where Twilio reaches us (OUTREACH_PUBLIC_URL), how long to ring, the longest call allowed,
 * whether to detect answering machines, and TWILIO_API_BASE (null: the real API). toString never shows the token.
 */
public record TwilioVoiceSettings(String accountSid, String authToken, String from, String publicUrl,
                                  Duration ringTimeout, Duration timeLimit, boolean machineDetection, URI apiBase,
                                  Duration connectTimeout, Duration responseTimeout) {
    public static final String CALL_PATH = "/webhooks/twilio/voice/";
    /** Query parameter of the call's webhooks naming the language of the call. */
    public static final String LANGUAGE_PARAM = "lang";
    public static final String STATUS_PATH = "/webhooks/twilio/voice/status";

    public TwilioVoiceSettings {
        if (accountSid == null || accountSid.isBlank()) throw new IllegalArgumentException("TWILIO_ACCOUNT_SID is required");
        if (authToken == null || authToken.isBlank()) throw new IllegalArgumentException("TWILIO_AUTH_TOKEN is required");
        if (from == null || from.isBlank()) throw new IllegalArgumentException("TWILIO_FROM is required for calls");
        publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        // Twilio rings 5..600 s; under 15 s many phones never get to ring at all.
        if (ringTimeout.toSeconds() < 5 || ringTimeout.toSeconds() > 600) throw new IllegalArgumentException("ring timeout must be 5..600 seconds");
    }

    /** Defaults: ring 30 s, calls end after 10 minutes, machine detection on. */
    public static TwilioVoiceSettings of(String accountSid, String authToken, String from, String publicUrl, URI apiBase) {
        return new TwilioVoiceSettings(accountSid, authToken, from, publicUrl, Duration.ofSeconds(30),
                Duration.ofMinutes(10), true, apiBase, Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    /**
     * The webhook that answers the call with TwiML, one per attempt. The case's language rides along so that a
     * callee is apologised to in it even when the database (which knows the case) cannot be read.
     */
    public URI callUrl(long attemptId, CaseLanguage language) {
        return URI.create(publicUrl + CALL_PATH + attemptId + "?" + LANGUAGE_PARAM + "=" + language.tag());
    }

    /** The status callback; the attempt id rides along so the call is found even if its 201 was lost. */
    public URI statusUrl(long attemptId) {
        return URI.create(publicUrl + STATUS_PATH + "?attemptId=" + attemptId);
    }

    @Override
    public String toString() {
        return "TwilioVoiceSettings[accountSid=" + accountSid + ", authToken=***, from=" + Masking.phone(from)
                + ", publicUrl=" + publicUrl + ", ringTimeout=" + ringTimeout + ", timeLimit=" + timeLimit
                + ", machineDetection=" + machineDetection + ", apiBase=" + apiBase + "]";
    }
}
