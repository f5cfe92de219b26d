package org.screening.outreach.domain;

import java.time.Instant;

/**
 * An on-site visit (敲门行动) by the community's 3-person team — cadre, health worker, police (Chongqing item 23) —
 * for a person the phone did not reach in time. Due at the case's deadline.
 */
public record DoorKnockTask(long id, String caseId, String jurisdiction, Instant createdAt, Instant dueAt,
                            Status status, String reason, String assignee) {
    public enum Status {
        OPEN, ASSIGNED, DONE, CANCELLED;

        public boolean isActive() {
            return this == OPEN || this == ASSIGNED;
        }
    }

    /** The three people who went (community cadre, community health worker, community police). */
    public record Team(String cadre, String healthWorker, String police) {}

    /** Why a task was created: no answer by the escalation point, or capacity could not call in time. */
    public static final String NOT_REACHED = "not_reached";
    public static final String CAPACITY_SHORTFALL = "capacity_shortfall";
    /** The callee said they do not use the number: who and where the person is must be checked on foot. */
    public static final String NOT_USER_OF_NUMBER = "not_user_of_number";
}
