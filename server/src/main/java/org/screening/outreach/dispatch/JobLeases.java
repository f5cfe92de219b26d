package org.screening.outreach.dispatch;

import java.time.Instant;

/**
 * Lease rows of the jobs that run on one node at a time ({@link BackgroundJob#singleton()}): the database, which
 * every node shares anyway, says who runs each; there is no cluster protocol between the nodes.
 */
public interface JobLeases {

    /** Who holds a job's lease, since when (this holder's first take) and until when. */
    record Lease(String job, String holder, Instant acquiredAt, Instant heldUntil) {
        public boolean heldBy(String node) {
            return holder.equals(node);
        }
    }

    /**
     * Takes the job's lease for {@code node} until {@code until} when it is free, lapsed ({@code heldUntil <= now})
     * or already {@code node}'s (a renewal); leaves another node's live lease alone. Answers who holds it now.
     */
    Lease acquire(String job, String node, Instant now, Instant until);

    /** Gives up every lease {@code node} holds, so other nodes take its jobs at their next run; how many. */
    int releaseAll(String node);
}
