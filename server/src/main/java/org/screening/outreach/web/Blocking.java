package org.screening.outreach.web;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.Callable;

/** Runs JDBC and file work on a worker pool sized like the connection pool; never on an event loop. */
public final class Blocking {
    private final WorkerExecutor workers;

    public Blocking(WorkerExecutor workers) {
        this.workers = workers;
    }

    public <T> Future<T> run(Callable<T> work) {
        return workers.executeBlocking(work, false);
    }
}
