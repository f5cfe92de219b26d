package org.screening.outreach.channels.sms.twilio;

import java.net.URI;
import java.time.Duration;
import org.screening.outreach.domain.Masking;

/**
 * The Twilio SMS configuration (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM, TWILIO_API_BASE and
 * OUTREACH_PUBLIC_URL + /webhooks/twilio/sms/status). {@code from} is a sender number / alphanumeric id, or a
 * messaging service SID (MG…), which then goes as MessagingServiceSid and lets Twilio pick the sender.
 * {@code apiBase} null means the real https://api.twilio.com. toString never shows the token.
 */
public record TwilioSmsSettings(String accountSid, String authToken, String from, String statusCallbackUrl,
                                Duration validityPeriod, URI apiBase, Duration connectTimeout,
                                Duration responseTimeout) {
    public TwilioSmsSettings {
        if (accountSid == null || accountSid.isBlank()) throw new IllegalArgumentException("TWILIO_ACCOUNT_SID is required");
        if (authToken == null || authToken.isBlank()) throw new IllegalArgumentException("TWILIO_AUTH_TOKEN is required");
        if (from == null || from.isBlank()) throw new IllegalArgumentException("TWILIO_FROM is required");
        long v = validityPeriod.toSeconds();
        // Twilio accepts 1..36000 s; an explicit value keeps a stale reminder (deadline passed) from going out.
        if (v < 1 || v > 36000) throw new IllegalArgumentException("validity period must be 1..36000 seconds");
    }

    public static TwilioSmsSettings of(String accountSid, String authToken, String from, String statusCallbackUrl,
                                       Duration validityPeriod, URI apiBase) {
        return new TwilioSmsSettings(accountSid, authToken, from, statusCallbackUrl, validityPeriod, apiBase,
                Duration.ofSeconds(5), Duration.ofSeconds(15));
    }

    public TwilioSmsSettings withTimeouts(Duration connect, Duration response) {
        return new TwilioSmsSettings(accountSid, authToken, from, statusCallbackUrl, validityPeriod, apiBase, connect, response);
    }

    public boolean usesMessagingService() {
        return from.length() == 34 && from.startsWith("MG");
    }

    @Override
    public String toString() {
        return "TwilioSmsSettings[accountSid=" + accountSid + ", authToken=***, from=" + Masking.phone(from)
                + ", statusCallbackUrl=" + statusCallbackUrl + ", validityPeriod=" + validityPeriod
                + ", apiBase=" + apiBase + "]";
    }
}
