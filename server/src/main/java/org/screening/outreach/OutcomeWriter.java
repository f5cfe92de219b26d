package org.screening.outreach;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.store.DatabaseUnavailable;
import org.screening.outreach.web.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs outcome writes on the database workers and counts those under way (a graceful stop waits for them). A write
 * that fails because the database is unavailable (restarting, unreachable) is tried again, with backoff, for up to
 * {@link #PATIENCE}: the provider already has the message or call, and a dropped write would leave the attempt to its
 * lease and so to a second send. A write that lands after the lease was reaped does no harm: outcomes apply once and
 * only move an attempt forward. Other failures are logged and dropped.
 */
final class OutcomeWriter implements Executor {
    private static final Logger log = LoggerFactory.getLogger(OutcomeWriter.class);
    static final Duration PATIENCE = Duration.ofMinutes(2);
    private static final Duration FIRST_DELAY = Duration.ofMillis(500);
    private static final Duration LONGEST_DELAY = Duration.ofSeconds(10);
    private final Vertx vertx;
    private final Blocking blocking;
    private final Clock clock;
    private final BooleanSupplier stopped;
    private final AtomicInteger underWay = new AtomicInteger();

    OutcomeWriter(Vertx vertx, Blocking blocking, Clock clock, BooleanSupplier stopped) {
        this.vertx = vertx;
        this.blocking = blocking;
        this.clock = clock;
        this.stopped = stopped;
    }

    /** Writes started and not yet done, retries waiting included. */
    int underWay() {
        return underWay.get();
    }

    @Override
    public void execute(Runnable write) {
        attempt(write, clock.instant(), 1);
    }

    private void attempt(Runnable write, Instant first, int tryNo) {
        underWay.incrementAndGet();
        AtomicBoolean done = new AtomicBoolean();
        Runnable settle = () -> {
            if (done.compareAndSet(false, true)) underWay.decrementAndGet();
        };
        blocking.run(() -> {
            try {
                write.run();
            } catch (RuntimeException e) {
                if (!retry(write, first, tryNo, e)) {
                    log.warn("{} not written (try {}): {}", write, tryNo, Masking.redactNumbers(String.valueOf(e.getMessage())));
                }
            } finally {
                settle.run();
            }
            return null;
        }).onComplete(ar -> settle.run()); // also when the pool refused the task (shut down)
    }

    /** Schedules the next try when the database is unavailable and patience is left; whether it did. */
    private boolean retry(Runnable write, Instant first, int tryNo, RuntimeException e) {
        if (!DatabaseUnavailable.causedBy(e) || stopped.getAsBoolean()) return false;
        Duration delay = delay(tryNo);
        if (Duration.between(first, clock.instant()).plus(delay).compareTo(PATIENCE) > 0) return false;
        if (tryNo == 1) log.info("{} waits for the database (retrying for up to {})", write, PATIENCE);
        underWay.incrementAndGet(); // held across the wait, so a graceful stop knows a write is still to come
        vertx.setTimer(delay.toMillis(), id -> {
            underWay.decrementAndGet();
            attempt(write, first, tryNo + 1);
        });
        return true;
    }

    static Duration delay(int tryNo) {
        long ms = FIRST_DELAY.toMillis() << Math.min(tryNo - 1, 10);
        return Duration.ofMillis(Math.min(ms, LONGEST_DELAY.toMillis()));
    }
}
