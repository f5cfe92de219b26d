package org.screening.outreach.channels.sms.twilio;

/**
 * Told when Twilio took a message (HTTP 201). Nothing is final then — the outcome arrives later on the status
 * webhook — but the caller must keep the message SID with the attempt: the webhook's MessageSid finds the
 * attempt, and support needs it to look the message up in Twilio's console. Called on an executor thread.
 */
@FunctionalInterface
public interface SmsAcceptedListener {
    void accepted(long attemptId, String messageSid, TwilioSmsStatus status);
}
