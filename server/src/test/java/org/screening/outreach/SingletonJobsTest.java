package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.dispatch.BackgroundJob;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MutableClock;

/**
 * Two nodes (two job runners, each with its own Vert.x and pool) on one MariaDB schema: a singleton job runs on one
 * of them, moves over at once when its holder stops, and after its lease's time when the holder dies; other jobs
 * run on both.
 */
@Tag("db")
class SingletonJobsTest {
    static final Duration TTL = Duration.ofMinutes(1);
    static final Duration WAIT = Duration.ofSeconds(20);

    /** A job that counts its runs; its lease time is clock time, which only the test moves. */
    static class Counting implements BackgroundJob {
        final String name;
        final boolean singleton;
        final AtomicInteger runs = new AtomicInteger();

        Counting(String name, boolean singleton) {
            this.name = name;
            this.singleton = singleton;
        }

        @Override public String name() { return name; }
        @Override public Duration every() { return Duration.ofMillis(20); }
        @Override public boolean singleton() { return singleton; }
        @Override public Duration leaseTtl() { return TTL; }

        @Override
        public int runOnce() {
            return runs.incrementAndGet();
        }
    }

    MariaDbExtension.TestDb db;
    MutableClock clock;
    TestNode a;
    TestNode b;
    Counting sweepA = new Counting("sweep", true);
    Counting sweepB = new Counting("sweep", true);
    Counting claimA = new Counting("claim", false);
    Counting claimB = new Counting("claim", false);

    @BeforeEach
    void twoNodes() {
        db = MariaDbExtension.freshSchema();
        clock = new MutableClock(Instant.parse("2022-04-01T01:00:00Z"));
        a = new TestNode(db.url(), clock);
        b = new TestNode(db.url(), clock);
        a.jobs.schedule(sweepA);
        a.jobs.schedule(claimA);
        b.jobs.schedule(sweepB);
        b.jobs.schedule(claimB);
        Await.until("20 sweeps and both nodes claiming", WAIT,
                () -> sweepA.runs.get() + sweepB.runs.get() >= 20 && claimA.runs.get() >= 5 && claimB.runs.get() >= 5);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        db.close();
    }

    @Test
    void eachNodeCountsWhatItsJobsHandledAndTheRunsThatFailed() {
        Counting flaky = new Counting("flaky", false) {
            @Override
            public int runOnce() {
                if (runs.incrementAndGet() % 2 == 0) throw new IllegalStateException("database gone");
                return 3;
            }
        };
        a.jobs.schedule(flaky);
        Await.until("ten runs of the flaky job", WAIT, () -> flaky.runs.get() >= 10);
        Await.until("the tenth run counted", WAIT,
                () -> a.registry.get("job_failures_total").tag("job", "flaky").counter().count() >= 5);
        double failed = a.registry.get("job_failures_total").tag("job", "flaky").counter().count();
        double items = a.registry.get("job_items_total").tag("job", "flaky").counter().count();
        assertThat(items).as("3 per run that worked").isGreaterThanOrEqualTo(15).matches(n -> n % 3 == 0);
        assertThat(failed).isGreaterThanOrEqualTo(5);
        assertThat(b.registry.find("job_items_total").tag("job", "flaky").counter()).as("node b never ran it").isNull();
    }

    @Test
    void aSingletonRunsOnExactlyOneNodeAndOtherJobsOnBoth() {
        assertThat(sweepA.runs.get() == 0 ^ sweepB.runs.get() == 0).as("exactly one node swept: %s / %s",
                sweepA.runs.get(), sweepB.runs.get()).isTrue();
        TestNode holder = sweepA.runs.get() > 0 ? a : b;
        TestNode other = holder == a ? b : a;
        assertThat(holder.holds("sweep")).isEqualTo(1.0);
        assertThat(other.holds("sweep")).isEqualTo(0.0);
        assertThat(claimA.runs.get()).isPositive();
        assertThat(claimB.runs.get()).isPositive();
    }

    @Test
    void whenTheHolderStopsTheOtherNodeTakesOverAtOnce() {
        TestNode holder = sweepA.runs.get() > 0 ? a : b;
        TestNode other = holder == a ? b : a;
        Counting otherSweep = other == a ? sweepA : sweepB;
        assertThat(otherSweep.runs.get()).isZero();

        holder.jobs.stop(Duration.ofSeconds(5));

        // The clock stands still: the lease did not lapse, it was given up.
        Await.until("the other node sweeps", WAIT, () -> otherSweep.runs.get() > 0);
        assertThat(other.holds("sweep")).isEqualTo(1.0);
        assertThat(holder.holds("sweep")).isEqualTo(0.0);
    }

    @Test
    void whenTheHolderDiesTheOtherNodeTakesOverOnceItsLeaseHasLapsed() {
        TestNode holder = sweepA.runs.get() > 0 ? a : b;
        TestNode other = holder == a ? b : a;
        Counting otherSweep = other == a ? sweepA : sweepB;
        Counting otherClaim = other == a ? claimA : claimB;

        holder.kill();

        int claims = otherClaim.runs.get();
        Await.until("the other node ran its own job 10 more times", WAIT, () -> otherClaim.runs.get() >= claims + 10);
        assertThat(otherSweep.runs.get()).as("the dead node's lease has time left").isZero();

        clock.advance(TTL);
        Await.until("the other node sweeps", WAIT, () -> otherSweep.runs.get() > 0);
        assertThat(other.holds("sweep")).isEqualTo(1.0);
    }

    @Test
    void aStopWaitsForTheRunUnderWayAndStartsNoMore() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        a.jobs.schedule(new BackgroundJob() {
            @Override public String name() { return "slow"; }
            @Override public Duration every() { return Duration.ofMillis(20); }

            @Override
            public int runOnce() {
                runs.incrementAndGet();
                started.countDown();
                try {
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                finished.set(true);
                return 1;
            }
        });
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> a.jobs.stop(WAIT));
        assertThat(stopping).as("the run is still under way").isNotDone();
        release.countDown();
        stopping.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(finished).isTrue();
        int claims = claimB.runs.get();
        Await.until("the other node ran its own job 10 more times", WAIT, () -> claimB.runs.get() >= claims + 10);
        assertThat(runs.get()).as("no run started after the stop").isEqualTo(1);
    }
}
