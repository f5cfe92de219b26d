package org.screening.outreach.ledger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.DoorKnockOutcome;
import org.screening.outreach.domain.DoorKnockTask;

/** Door-knock tasks as community staff work them; every change is also a ledger event of the case. */
public interface DoorKnocks {

    /** Tasks in a jurisdiction prefix, soonest due first; {@code status} null means active (open or assigned). */
    List<DoorKnockTask> list(String jurisdictionPrefix, DoorKnockTask.Status status, int limit);

    Optional<DoorKnockTask> find(long id);

    /** The case's active task (open or assigned), if it has one; the soonest due when several. */
    Optional<DoorKnockTask> activeFor(String caseId);

    enum Result { DONE, NOT_FOUND, NOT_ACTIVE }

    /** DONE without a new event when the task is already assigned to {@code assignee} (a request sent twice). */
    Result assign(long id, String assignee, String actor, Instant now);

    /** Records what the team found and moves the case accordingly (verified, police review, or stays). */
    Result record(long id, DoorKnockOutcome outcome, DoorKnockTask.Team team, String note, String actor, Instant now);

    /**
     * As {@link #record}, once per {@code submission} (the key of the form staff filled in): a key already used
     * answers DONE and records nothing, so a form sent twice is one visit. Null records as {@link #record} does.
     */
    default Result record(long id, DoorKnockOutcome outcome, DoorKnockTask.Team team, String note, String actor,
                          Instant now, String submission) {
        return record(id, outcome, team, note, actor, now);
    }
}
