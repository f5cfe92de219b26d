package org.screening.outreach.ledger.feed;

/**
 * What a receiver made of one event. 2xx: delivered. 408, 429, 5xx, timeouts and connection errors: tried again
 * later. Any other 4xx is a permanent refusal (a request the receiver will never take as it is): parked at once with
 * the receiver's status. Anything else (1xx, 3xx: redirects are not followed) is tried again.
 */
public record SendResult(Kind kind, Integer status, String detail, String retryAfter) {
    public enum Kind { DELIVERED, RETRY, REFUSED }

    public SendResult(Kind kind, Integer status, String detail) {
        this(kind, status, detail, null);
    }

    public static SendResult ofStatus(int status, String body) {
        return ofStatus(status, body, null);
    }

    /** {@code retryAfter}: the response's Retry-After header as sent (see {@link RetryAfter}), or null. */
    public static SendResult ofStatus(int status, String body, String retryAfter) {
        String detail = "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body.strip());
        if (status >= 200 && status < 300) return new SendResult(Kind.DELIVERED, status, null);
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return new SendResult(Kind.REFUSED, status, detail);
        }
        return new SendResult(Kind.RETRY, status, detail, retryAfter);
    }

    public static SendResult unreachable(String detail) {
        return new SendResult(Kind.RETRY, null, detail);
    }

    public boolean delivered() {
        return kind == Kind.DELIVERED;
    }
}
