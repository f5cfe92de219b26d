package org.screening.outreach;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.screening.outreach.store.Database;
import org.screening.outreach.store.JdbcJobLeases;
import org.screening.outreach.web.Blocking;

/** One server process as far as background jobs go: its own Vert.x, workers, connection pool and job runner. */
final class TestNode implements AutoCloseable {
    private static final AtomicInteger COUNT = new AtomicInteger();
    final Vertx vertx = Vertx.vertx();
    final Database db;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final JobRunner jobs;
    private boolean dead;

    TestNode(String url, Clock clock) {
        db = Database.connect(url, "root", "", 4, org.screening.outreach.support.TestIdKeys.keys());
        Blocking blocking = new Blocking(vertx.createSharedWorkerExecutor("node-" + COUNT.incrementAndGet(), 4));
        jobs = new JobRunner(vertx, blocking, new JdbcJobLeases(db), clock, registry);
    }

    /** 1 while this node holds the job's lease (the gauge operators see). */
    double holds(String job) {
        return registry.get("job_lease_held").tag("job", job).gauge().value();
    }

    /** As if killed: its timers and workers are gone, and nothing it held is given back. */
    void kill() {
        dead = true;
        closeVertx();
    }

    @Override
    public void close() {
        if (!dead) {
            jobs.stop();
            closeVertx();
        }
        db.close();
    }

    private void closeVertx() {
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("Vert.x did not close", e);
        }
    }
}
