package org.screening.outreach;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.screening.outreach.dispatch.BackgroundJob;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.web.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs background jobs on Vert.x timers, on the worker pool, never two runs of one job at once. */
final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    private final Vertx vertx;
    private final Blocking blocking;
    private final List<Long> timers = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    JobRunner(Vertx vertx, Blocking blocking) {
        this.vertx = vertx;
        this.blocking = blocking;
    }

    void schedule(BackgroundJob job) {
        AtomicBoolean running = new AtomicBoolean();
        timers.add(vertx.setPeriodic(job.every().toMillis(), id -> {
            if (stopped || !running.compareAndSet(false, true)) return;
            blocking.run(job::runOnce).onComplete(ar -> {
                running.set(false);
                if (ar.failed()) {
                    log.warn("job {} failed: {}", job.name(), Masking.redactNumbers(String.valueOf(ar.cause().getMessage())));
                }
            });
        }));
    }

    /** No new runs start; runs under way finish (their leases cover anything they leave). */
    void stop() {
        stopped = true;
        timers.forEach(vertx::cancelTimer);
    }
}
