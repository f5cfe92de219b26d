package org.screening.outreach.channels.twilio;

import com.twilio.exception.ApiException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.screening.outreach.domain.Masking;

/**
 * Why a create-message request failed, sorted by the one question that matters for retrying: could Twilio have
 * created the message? Twilio has no idempotency key for Messages, so only failures that prove "not created"
 * are retried by default.
 *
 * @param httpStatus Twilio's HTTP status, 0 when no answer came
 * @param errorCode  Twilio's error code (21211, 21610, 20429 …), 0 when none
 * @param message    Twilio's message or the I/O error, with long digit runs masked (Twilio quotes the number)
 */
public record SendFailure(Kind kind, int httpStatus, int errorCode, String message) {
    public enum Kind {
        /** Throttled (429 / 20429), a server error (5xx) or no connection made: nothing was created; retry. */
        NOT_SENT_RETRYABLE,
        /** The request went out but the answer did not come back (read timeout, connection dropped). */
        MAYBE_SENT,
        /** Twilio refused the request (4xx other than 429): retrying would fail the same way. */
        REFUSED
    }

    /**
     * @param observedStatus the HTTP status our client saw (0: no answer); it decides when the SDK lost it
     *                       because the error answer had no JSON body
     */
    static SendFailure classify(RuntimeException e, int observedStatus) {
        ApiException api = e instanceof ApiException x ? x : null;
        Integer sdkStatus = api == null ? null : api.getStatusCode();
        if (sdkStatus != null || observedStatus >= 400) {
            int status = sdkStatus != null ? sdkStatus : observedStatus;
            int code = api == null || api.getCode() == null ? 0 : api.getCode();
            String message = sdkStatus != null ? e.getMessage() : "HTTP " + status + " without a Twilio error body";
            Kind kind = status == 429 || code == 20429 || status >= 500 ? Kind.NOT_SENT_RETRYABLE : Kind.REFUSED;
            return new SendFailure(kind, status, code, Masking.redactNumbers(message));
        }
        // The SDK wraps every IOException in an ApiException without a status; the cause tells how far it got.
        Throwable cause = e.getCause();
        String what = cause == null ? e.getClass().getSimpleName() : cause.getClass().getSimpleName();
        if (cause instanceof ConnectTimeoutException || cause instanceof ConnectException
                || cause instanceof NoRouteToHostException || cause instanceof UnknownHostException
                || cause instanceof ConnectionRequestTimeoutException || cause instanceof SSLHandshakeException) {
            return new SendFailure(Kind.NOT_SENT_RETRYABLE, 0, 0, what);
        }
        if (cause instanceof java.io.IOException) return new SendFailure(Kind.MAYBE_SENT, 0, 0, what);
        // Not an I/O problem at all (a bug, a bad parameter caught by the SDK): no request reached Twilio.
        return new SendFailure(Kind.REFUSED, 0, 0, what);
    }
}
