package org.screening.outreach.dispatch;

import java.time.Duration;
import java.time.Instant;

/**
 * What an operator alerts on (deploy/prometheus/alerts.yml): open cases already past their deadline — the failure
 * this product exists to prevent — calls or SMS due but not yet taken by any node, and door knocks that nobody has
 * taken on although their deadline is near (the last step before a breach).
 */
public interface QueueFigures {
    /** Within this of its due time, an unassigned door knock counts as {@link Figures#unassignedDoorKnocksDueSoon}. */
    Duration DOOR_KNOCK_SOON = Duration.ofMinutes(60);

    /**
     * {@code oldestDue}: how long the longest-waiting due attempt has waited (zero when none waits);
     * {@code openDoorKnocks}: open or assigned tasks; {@code unassignedDoorKnocksDueSoon}: open, nobody assigned, due
     * within {@link #DOOR_KNOCK_SOON} or already past; {@code overdueDoorKnocks}: open or assigned and past due.
     */
    record Figures(long overdueCases, long dueAttempts, Duration oldestDue, long openDoorKnocks,
                   long unassignedDoorKnocksDueSoon, long overdueDoorKnocks) {}

    Figures read(Instant now);
}
