package org.screening.outreach.web;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;

/** Runs JDBC and file work on a worker pool sized like the connection pool; never on an event loop. */
public final class Blocking {
    private final WorkerExecutor workers;

    public Blocking(WorkerExecutor workers) {
        this.workers = workers;
    }

    /** A failed future, not an exception, once the pool is shut down (a timer firing during shutdown). */
    public <T> Future<T> run(Callable<T> work) {
        try {
            return workers.executeBlocking(work, false);
        } catch (RejectedExecutionException e) {
            return Future.failedFuture(e);
        }
    }
}
