package org.screening.outreach.domain;

import java.util.Locale;
import java.util.Optional;

/** Health-code colour as the callee reports it (1 green, 2 yellow, 3 red on the keypad). */
public enum HealthCode {
    GREEN, YELLOW, RED;

    /** The value the script records, e.g. "red". */
    public String answerValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HealthCode> fromAnswer(String value) {
        if (value == null) return Optional.empty();
        for (HealthCode c : values()) if (c.answerValue().equals(value)) return Optional.of(c);
        return Optional.empty();
    }
}
