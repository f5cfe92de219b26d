package org.screening.outreach.ledger.feed;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * A receiver's {@code Retry-After} (RFC 9110: delay-seconds or an HTTP-date), as a wait from {@code now}. A receiver
 * that says when it can take more is not asked sooner; one that asks for more than {@link #LONGEST} gets that.
 */
public final class RetryAfter {
    static final Duration LONGEST = Duration.ofHours(1);

    private RetryAfter() {}

    public static Optional<Duration> delay(String header, Instant now) {
        if (header == null || header.isBlank()) return Optional.empty();
        String v = header.strip();
        Duration d;
        if (v.matches("\\d{1,9}")) {
            d = Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        if (d.isNegative() || d.isZero()) return Optional.empty();
        return Optional.of(d.compareTo(LONGEST) > 0 ? LONGEST : d);
    }

    /** The later of the backoff's wait and the receiver's. */
    public static Instant next(Instant now, Duration backoff, SendResult failure) {
        Duration wait = delay(failure.retryAfter(), now).filter(d -> d.compareTo(backoff) > 0).orElse(backoff);
        return now.plus(wait);
    }
}
