package org.screening.outreach.campaigns;

import java.util.Set;

/**
 * The life of a campaign. IMPORTING while its recipients stream in; RUNNING from then on (it still waits for its
 * start time and outside its quiet hours); PAUSED and back; COMPLETED when nothing is left to send; CANCELLED
 * stops what has not gone out. COMPLETED and CANCELLED are final.
 */
public enum CampaignStatus {
    IMPORTING, RUNNING, PAUSED, COMPLETED, CANCELLED;

    /** What the operator may do from each status; anything else answers 409. */
    public Set<CampaignStatus> operatorMoves() {
        return switch (this) {
            case RUNNING -> Set.of(PAUSED, CANCELLED);
            case PAUSED -> Set.of(RUNNING, CANCELLED);
            default -> Set.of();
        };
    }

    public boolean isFinal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
