package org.screening.outreach.channels.voice.twilio;

import java.util.Locale;
import java.util.Optional;
import org.screening.outreach.domain.AttemptOutcome;

/**
 * Twilio's call statuses (CallStatus of the status callback) and what each means for the attempt. Only the final
 * ones settle it; the status callback is asked for at completion only, so the others are seen only in the 201.
 */
public enum TwilioCallStatus {
    QUEUED("queued", null),
    INITIATED("initiated", null),
    RINGING("ringing", null),
    IN_PROGRESS("in-progress", null),
    COMPLETED("completed", AttemptOutcome.ANSWERED),
    BUSY("busy", AttemptOutcome.BUSY),
    NO_ANSWER("no-answer", AttemptOutcome.NO_ANSWER),
    FAILED("failed", AttemptOutcome.FAILED),
    CANCELED("canceled", AttemptOutcome.FAILED);

    private final String wire;
    private final AttemptOutcome outcome;

    TwilioCallStatus(String wire, AttemptOutcome outcome) {
        this.wire = wire;
        this.outcome = outcome;
    }

    public String wireName() {
        return wire;
    }

    public static Optional<TwilioCallStatus> parse(String raw) {
        if (raw == null) return Optional.empty();
        String s = raw.strip().toLowerCase(Locale.ROOT);
        for (TwilioCallStatus v : values()) if (v.wire.equals(s)) return Optional.of(v);
        return Optional.empty();
    }

    /**
     * The attempt's outcome, if final. A completed call picked up by an answering machine or fax (AnsweredBy, from
     * machine detection) is {@link AttemptOutcome#MACHINE}: no message is left, and the plan retries it like a
     * call nobody answered.
     */
    public Optional<AttemptOutcome> outcome(String answeredBy) {
        if (this == COMPLETED && isMachine(answeredBy)) return Optional.of(AttemptOutcome.MACHINE);
        return Optional.ofNullable(outcome);
    }

    /** AnsweredBy values other than human / unknown: machine_start, machine_end_beep, …, fax. */
    public static boolean isMachine(String answeredBy) {
        if (answeredBy == null) return false;
        String a = answeredBy.strip().toLowerCase(Locale.ROOT);
        return a.startsWith("machine") || a.equals("fax");
    }
}
