package org.screening.outreach.web.webhooks;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.screening.outreach.channels.sms.twilio.SmsAcceptedListener;
import org.screening.outreach.channels.sms.twilio.TwilioSmsStatus;
import org.screening.outreach.sms.SmsStatuses;

/**
 * Applies Twilio message statuses to an SMS attempt as monotonic transitions ({@link TwilioSmsStatus#supersedes}):
 * the stored status only moves forward, and the attempt's outcome is completed when a final status is stored.
 * Blocking (JDBC): call it on a worker thread.
 *
 * <p>Also the adapter's {@link SmsAcceptedListener}, so the message SID is stored at Twilio's 201, before any
 * callback. That path never completes the attempt: the adapter reports a final 201 status itself.
 */
public final class SmsStatusUpdates implements SmsAcceptedListener {
    public enum Result { APPLIED, STALE, UNKNOWN_ATTEMPT }

    // Each lost race means another callback moved the status forward; a handful is already more than Twilio sends.
    private static final int MAX_RACES = 5;

    private final SmsStatuses statuses;
    private final FinalOutcome outcomes;
    private final Clock clock;

    public SmsStatusUpdates(SmsStatuses statuses, FinalOutcome outcomes, Clock clock) {
        this.statuses = statuses;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    @Override
    public void accepted(long attemptId, String messageSid, TwilioSmsStatus status) {
        apply(attemptId, messageSid, status, null, clock.instant(), false);
    }

    /** A status callback: stores it if it moves the message forward, and completes the attempt when final. */
    public Result apply(long attemptId, String messageSid, TwilioSmsStatus incoming, String errorCode, Instant now) {
        return apply(attemptId, messageSid, incoming, errorCode, now, true);
    }

    private Result apply(long attemptId, String sid, TwilioSmsStatus incoming, String errorCode, Instant now,
                         boolean complete) {
        for (int race = 0; race < MAX_RACES; race++) {
            SmsStatuses.Current current = statuses.current(attemptId);
            if (!current.attemptExists()) return Result.UNKNOWN_ATTEMPT;
            TwilioSmsStatus stored = current.status() == null ? null : TwilioSmsStatus.parse(current.status()).orElse(null);
            if (!TwilioSmsStatus.supersedes(stored, incoming)) {
                // The same final status again: the first delivery may have stored it and then failed to complete
                // (database hiccup, answered 500). Completing applies once, so asking again is safe.
                if (complete && stored == incoming && incoming.isFinal()) finish(attemptId, sid, incoming, errorCode, now);
                return Result.STALE;
            }
            if (statuses.replace(attemptId, current.status(), sid, incoming.wireName(), errorCode, now)) {
                if (complete && incoming.isFinal()) finish(attemptId, sid, incoming, errorCode, now);
                return Result.APPLIED;
            }
        }
        throw new IllegalStateException("SMS status of attempt " + attemptId + " kept changing under us");
    }

    private void finish(long attemptId, String sid, TwilioSmsStatus status, String errorCode, Instant now) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("provider", "twilio");
        if (sid != null) d.put("messageSid", sid);
        d.put("twilioStatus", status.wireName());
        if (errorCode != null) d.put("errorCode", numberIfNumeric(errorCode));
        outcomes.complete(attemptId, status.outcome().orElseThrow(), d, now);
    }

    /** The adapter records Twilio's error codes as numbers; keep the ledger uniform. */
    private static Object numberIfNumeric(String code) {
        try {
            return Integer.parseInt(code);
        } catch (NumberFormatException e) {
            return code;
        }
    }
}
