package org.screening.outreach.domain;

/** What became of one SMS or call, in our words; each provider maps its own statuses to these. */
public enum AttemptOutcome {
    ANSWERED, NO_ANSWER, BUSY, FAILED, MACHINE, DELIVERED, UNDELIVERED;

    /** The person was reached (a person, not a machine, picked up). */
    public boolean reachedPerson() {
        return this == ANSWERED;
    }
}
