package org.screening.outreach.channels.sms.twilio;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.AttemptOutcome;

/**
 * Twilio's message statuses mapped to ours, with an order so late, repeated and out-of-order status callbacks
 * are applied monotonically: a status is applied only if it ranks above the one stored, and nothing moves a
 * message out of a final status (so "sent" arriving after "delivered" is ignored, and "delivered" after
 * "undelivered" too — the first final word stands; only "read" may follow "delivered", with the same outcome).
 */
public enum TwilioSmsStatus {
    // rank, final outcome (null = not final yet)
    ACCEPTED(1, null), SCHEDULED(1, null), QUEUED(1, null),
    SENDING(2, null),
    SENT(3, null),
    PARTIALLY_DELIVERED(4, AttemptOutcome.DELIVERED),
    DELIVERED(4, AttemptOutcome.DELIVERED),
    UNDELIVERED(4, AttemptOutcome.UNDELIVERED),
    FAILED(4, AttemptOutcome.FAILED),
    CANCELED(4, AttemptOutcome.FAILED),
    READ(5, AttemptOutcome.DELIVERED);

    private static final Map<String, TwilioSmsStatus> BY_NAME = Map.ofEntries(
            Map.entry("accepted", ACCEPTED), Map.entry("scheduled", SCHEDULED), Map.entry("queued", QUEUED),
            Map.entry("sending", SENDING), Map.entry("sent", SENT),
            Map.entry("partially_delivered", PARTIALLY_DELIVERED), Map.entry("delivered", DELIVERED),
            Map.entry("undelivered", UNDELIVERED), Map.entry("failed", FAILED), Map.entry("canceled", CANCELED),
            Map.entry("read", READ));

    private final int rank;
    private final AttemptOutcome outcome;

    TwilioSmsStatus(int rank, AttemptOutcome outcome) {
        this.rank = rank;
        this.outcome = outcome;
    }

    /** Twilio's wire value (MessageStatus / status field); empty for inbound-only or unknown values. */
    public static Optional<TwilioSmsStatus> parse(String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(BY_NAME.get(value.toLowerCase(Locale.ROOT)));
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return outcome != null;
    }

    /** Our outcome when final; empty while Twilio is still working on it. */
    public Optional<AttemptOutcome> outcome() {
        return Optional.ofNullable(outcome);
    }

    /** Whether a callback with {@code incoming} should replace the stored {@code current} (null: none yet). */
    public static boolean supersedes(TwilioSmsStatus current, TwilioSmsStatus incoming) {
        if (current == null) return true;
        if (current.isFinal()) return current == DELIVERED && incoming == READ;
        return incoming.rank > current.rank;
    }
}
