package org.screening.outreach;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.screening.outreach.dispatch.BackgroundJob;
import org.screening.outreach.dispatch.JobLeases;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.web.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs background jobs on Vert.x timers, on the worker pool, never two runs of one job at once on this node.
 * A {@link BackgroundJob#singleton() singleton} runs on one node of all those sharing the database: before each
 * run this node takes or renews the job's lease row; a node that stops renewing (paused, killed) is replaced once
 * its lease lapses, and one that {@link #stop(Duration) stops} gives its leases up so another takes over at once.
 * A singleton run that outlasts its lease may overlap the new holder's: jobs are safe to repeat, so that costs
 * work, not correctness.
 */
final class JobRunner {
    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);
    /**
     * How long a stop gives sends in flight: a provider request under way (Twilio answers within a second or two)
     * or a simulated SMS settles in it; a call in progress (minutes) does not, and is returned to the queue once the
     * PBX link is closed; waiting for it would only delay the other nodes taking it.
     */
    static final Duration SEND_SETTLE = Duration.ofSeconds(5);
    private final Vertx vertx;
    private final Blocking blocking;
    private final JobLeases leases;
    private final Clock clock;
    private final MeterRegistry registry;
    private final String node;
    private final List<Long> timers = new CopyOnWriteArrayList<>();
    private final List<BackgroundJob> jobs = new CopyOnWriteArrayList<>();
    /** Runs under way, and outcome writes under way (see {@link #writes()}): a graceful stop waits for both. */
    private final AtomicInteger running = new AtomicInteger();
    private final OutcomeWriter writes;
    /** Per singleton job, the holder its last lease check found ("" before the first and after a stop). */
    private final Map<String, String> holders = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    JobRunner(Vertx vertx, Blocking blocking, JobLeases leases, Clock clock, MeterRegistry registry) {
        this.vertx = vertx;
        this.blocking = blocking;
        this.leases = leases;
        this.clock = clock;
        this.registry = registry;
        this.writes = new OutcomeWriter(vertx, blocking, clock, () -> stopped);
        this.node = NodeId.create();
        log.info("this node is {} (its name on claimed work and job leases)", node);
    }

    /** This process's name on attempt claims and job leases. */
    String node() {
        return node;
    }

    void schedule(BackgroundJob job) {
        jobs.add(job);
        if (job.singleton()) {
            holders.put(job.name(), "");
            Gauge.builder("job_lease_held", () -> node.equals(holders.get(job.name())) ? 1 : 0)
                    .description("1 while this node holds the job's lease and runs it").tag("job", job.name())
                    .register(registry);
        }
        // What each run did (sent, escalated, returned leases…) and runs that failed (the database, mostly).
        Counter items = Counter.builder("job_items_total").tag("job", job.name())
                .description("items the periodic job handled on this node").register(registry);
        Counter failures = Counter.builder("job_failures_total").tag("job", job.name())
                .description("runs of the periodic job that failed on this node").register(registry);
        AtomicBoolean busy = new AtomicBoolean();
        timers.add(vertx.setPeriodic(job.every().toMillis(), id -> {
            if (stopped || !busy.compareAndSet(false, true)) return;
            running.incrementAndGet();
            blocking.run(() -> stopped || !mayRun(job) ? 0 : job.runOnce()).onComplete(ar -> {
                busy.set(false);
                running.decrementAndGet();
                if (ar.succeeded()) items.increment(ar.result());
                if (ar.failed()) {
                    failures.increment();
                    log.warn("job {} failed: {}", job.name(),
                            Masking.redactNumbers(String.valueOf(ar.cause().getMessage())));
                }
            });
        }));
    }

    /** A singleton runs only while this node holds its lease, renewed here before every run. */
    private boolean mayRun(BackgroundJob job) {
        if (!job.singleton()) return true;
        Instant now = clock.instant();
        JobLeases.Lease lease = leases.acquire(job.name(), node, now, now.plus(job.leaseTtl()));
        String before = holders.put(job.name(), lease.holder());
        if (!lease.holder().equals(before)) {
            if (lease.heldBy(node)) {
                log.info("job {} runs on this node now (lease until {})", job.name(), lease.heldUntil());
            } else {
                log.info("job {} runs on node {} (lease until {})", job.name(), lease.holder(), lease.heldUntil());
            }
        }
        return lease.heldBy(node) && !stopped;
    }

    /**
     * Where adapters' outcomes are written (the worker pool); {@link #stop(Duration)} waits for writes under way,
     * so nothing this node learnt is dropped, and nothing it settled is handed back as unsent.
     */
    Executor writes() {
        return writes;
    }

    /** Stops with no wait (a start that failed). */
    void stop() {
        stop(Duration.ZERO);
    }

    /**
     * Graceful stop, in order: no run starts any more (so no new claims); runs under way finish; this node's job
     * leases are given up (their next holder need not wait for them to lapse); sends in flight get up to
     * {@link #SEND_SETTLE} to settle, and every outcome learnt is written. Waits at most {@code grace} in all;
     * whatever is still out after it is left to {@link #returnClaims()} and to the leases.
     */
    void stop(Duration grace) {
        stopped = true;
        timers.forEach(vertx::cancelTimer);
        long deadline = System.nanoTime() + grace.toNanos();
        if (!waitUntil(deadline, () -> running.get() == 0) && !grace.isZero()) {
            log.warn("stopping with {} job run(s) still under way after {}", running.get(), grace);
        }
        try {
            int given = leases.releaseAll(node);
            if (given > 0) log.info("gave up {} job lease(s) for other nodes to take over", given);
        } catch (RuntimeException e) {
            log.warn("job leases not given up, other nodes take over when they lapse: {}", e.getMessage());
        }
        holders.replaceAll((job, holder) -> "");
        long settle = Math.min(deadline, System.nanoTime() + SEND_SETTLE.toNanos());
        if (!waitUntil(settle, () -> writes.underWay() == 0 && inFlight() == 0) && !grace.isZero()) {
            log.info("stopping with {} send(s) unsettled: back to the queue, or to their leases", inFlight());
        }
        if (!waitUntil(deadline, () -> writes.underWay() == 0) && !grace.isZero()) {
            log.warn("stopping with {} outcome write(s) under way after {}", writes.underWay(), grace);
        }
    }

    /**
     * After {@link #stop(Duration)} and once the providers' links are closed (nothing more can be reported here):
     * each job puts back what it claimed and will not finish; how many.
     */
    int returnClaims() {
        int n = 0;
        for (BackgroundJob job : jobs) {
            try {
                n += job.returnClaims();
            } catch (RuntimeException e) {
                log.warn("job {} could not return its claims, their leases will: {}", job.name(), e.getMessage());
            }
        }
        if (n > 0) log.info("returned {} claimed attempt(s) to the queue for other nodes", n);
        return n;
    }

    private int inFlight() {
        return jobs.stream().mapToInt(BackgroundJob::inFlight).sum();
    }

    /** Polls (a shutdown path, a few checks a second is plenty); false if the deadline came first. */
    private static boolean waitUntil(long deadline, BooleanSupplier done) {
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) return false;
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        return true;
    }
}
