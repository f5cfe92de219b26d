package org.screening.outreach.dispatch;

import java.time.Duration;

/**
 * A periodic piece of background work; each run is short and safe to repeat, on this node or another. Every node
 * sharing the database runs it unless it is a {@link #singleton()}.
 */
public interface BackgroundJob {
    String name();

    Duration every();

    /** One run; returns how many items it handled (for logs and tests). */
    int runOnce();

    /**
     * True when one node at a time is enough: the job sweeps shared state (a whole table, the whole queue) rather
     * than claiming its own share with SKIP LOCKED, so a second node would only repeat the work or wait on its
     * locks. The runner then holds the job's lease row ({@link JobLeases}) and runs it only while it holds it.
     * Jobs that claim work keep the default: every node takes a share, and none waits for a lease to pass over.
     */
    default boolean singleton() {
        return false;
    }

    /**
     * How long a singleton's lease lasts past each renewal (the holder renews before every run): several periods,
     * so a slow database or a pause does not hand it over, and a dead holder is replaced within this time.
     */
    default Duration leaseTtl() {
        return every().multipliedBy(4);
    }

    /** Work this node handed out and not settled yet (sends awaiting the provider); a graceful stop waits for it. */
    default int inFlight() {
        return 0;
    }

    /**
     * At the end of a graceful stop, once nothing more can be reported here: puts back what this node claimed and
     * will not finish, so other nodes take it now rather than when its lease runs out; how many.
     */
    default int returnClaims() {
        return 0;
    }
}
