package org.screening.outreach.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * What the door-knock team found. Found and verified closes the loop; not at home keeps the task for another
 * visit; the rest are persons the community cannot verify, who go to the police review list (Chongqing item 24).
 */
public enum DoorKnockOutcome {
    FOUND_VERIFIED(CaseStatus.VERIFIED, true),
    NOT_AT_HOME(null, false),
    WRONG_ADDRESS(CaseStatus.POLICE_REVIEW, true),
    REFUSED(CaseStatus.POLICE_REVIEW, true),
    NOT_IN_CITY(CaseStatus.POLICE_REVIEW, true),
    CANNOT_VERIFY(CaseStatus.POLICE_REVIEW, true);

    private final CaseStatus caseBecomes;
    private final boolean finishesTask;

    DoorKnockOutcome(CaseStatus caseBecomes, boolean finishesTask) {
        this.caseBecomes = caseBecomes;
        this.finishesTask = finishesTask;
    }

    /** The case's next status, or empty when the case stays with the door-knock team. */
    public Optional<CaseStatus> caseBecomes() {
        return Optional.ofNullable(caseBecomes);
    }

    public boolean finishesTask() {
        return finishesTask;
    }

    public static Optional<DoorKnockOutcome> parse(String s) {
        if (s == null) return Optional.empty();
        try {
            return Optional.of(valueOf(s.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
