package org.screening.outreach.ivr;

/** What happened on the line since the engine's last instructions. */
public sealed interface CallEvent {
    /** The callee picked up (Twilio's first webhook, Asterisk's AGI session start). */
    record Started() implements CallEvent {}

    /** Keys pressed, without the terminating {@code #}. Empty digits are treated as {@link Silence}. */
    record Digits(String digits) implements CallEvent {}

    /** The gather's timeout passed with no keys. */
    record Silence() implements CallEvent {}

    /** The callee (or the network) ended the call. */
    record HungUp() implements CallEvent {}

    static CallEvent started() { return new Started(); }

    static CallEvent silence() { return new Silence(); }

    static CallEvent hungUp() { return new HungUp(); }

    /** From a provider's digits parameter: null or empty means the gather timed out. */
    static CallEvent keys(String digits) {
        return digits == null || digits.isEmpty() ? new Silence() : new Digits(digits);
    }
}
