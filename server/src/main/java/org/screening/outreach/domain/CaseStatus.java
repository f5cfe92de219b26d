package org.screening.outreach.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a case stands. The main line is NEW → CONTACTING → REACHED → VERIFIED → CLOSED; a case that cannot be
 * reached goes to DOOR_KNOCK, one that cannot be verified or is not in the city to POLICE_REVIEW (Chongqing
 * items 23–24), one that belongs elsewhere is TRANSFERRED, one already isolated is UNDER_CONTROL.
 */
public enum CaseStatus {
    NEW, CONTACTING, REACHED, VERIFIED, CLOSED, DOOR_KNOCK, POLICE_REVIEW, TRANSFERRED, UNDER_CONTROL;

    public boolean isOpen() {
        return this != CLOSED && this != TRANSFERRED;
    }

    /**
     * Still being screened here, so texts and calls still go out. A verified, closed, transferred or isolated person
     * needs none: their attempts not yet made are cancelled as the case leaves screening.
     */
    public boolean inScreening() {
        return this == NEW || this == CONTACTING || this == REACHED || this == DOOR_KNOCK || this == POLICE_REVIEW;
    }

    public Set<CaseStatus> next() {
        return switch (this) {
            case NEW -> EnumSet.of(CONTACTING, REACHED, DOOR_KNOCK, POLICE_REVIEW, TRANSFERRED, UNDER_CONTROL);
            case CONTACTING -> EnumSet.of(REACHED, DOOR_KNOCK, POLICE_REVIEW, TRANSFERRED, UNDER_CONTROL);
            case REACHED -> EnumSet.of(VERIFIED, DOOR_KNOCK, POLICE_REVIEW, TRANSFERRED, UNDER_CONTROL);
            case DOOR_KNOCK -> EnumSet.of(REACHED, VERIFIED, POLICE_REVIEW, TRANSFERRED, UNDER_CONTROL);
            case POLICE_REVIEW -> EnumSet.of(REACHED, VERIFIED, DOOR_KNOCK, TRANSFERRED, UNDER_CONTROL);
            // 销号 only after verification: a control measure taken elsewhere is verified first, then closed.
            case UNDER_CONTROL -> EnumSet.of(VERIFIED);
            case VERIFIED -> EnumSet.of(CLOSED);
            case TRANSFERRED, CLOSED -> EnumSet.noneOf(CaseStatus.class);
        };
    }

    public boolean canMoveTo(CaseStatus target) {
        return next().contains(target);
    }
}
