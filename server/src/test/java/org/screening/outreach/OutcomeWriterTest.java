package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.screening.outreach.dispatch.OutcomeWrite;
import org.screening.outreach.support.Await;
import org.screening.outreach.web.Blocking;

class OutcomeWriterTest {
    private final Vertx vertx = Vertx.vertx();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final OutcomeWriter writer = new OutcomeWriter(vertx,
            new Blocking(vertx.createSharedWorkerExecutor("outcome-writer-test", 2)), Clock.systemUTC(), stopped::get);

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** Fails as the pool does while the database restarts, {@code failures} times, then writes. */
    private static Runnable databaseAwayFor(int failures, AtomicInteger tries, AtomicBoolean written) {
        return new OutcomeWrite("outcome of attempt 7", () -> {
            if (tries.incrementAndGet() <= failures) {
                throw new IllegalStateException("storing", new SQLTransientConnectionException("connection refused"));
            }
            written.set(true);
        });
    }

    @Test
    void aWriteIsTriedAgainWhileTheDatabaseIsAway() {
        AtomicInteger tries = new AtomicInteger();
        AtomicBoolean written = new AtomicBoolean();
        writer.execute(databaseAwayFor(2, tries, written));
        Await.until("written on the third try", Duration.ofSeconds(10), written::get);
        assertThat(tries).hasValue(3);
        Await.until("nothing under way", Duration.ofSeconds(5), () -> writer.underWay() == 0);
    }

    @Test
    void aWriteTheStatementRefusesIsNotRetried() {
        AtomicInteger tries = new AtomicInteger();
        writer.execute(new OutcomeWrite("outcome of attempt 8", () -> {
            tries.incrementAndGet();
            throw new IllegalStateException("duplicate key");
        }));
        Await.until("given up", Duration.ofSeconds(5), () -> tries.get() == 1 && writer.underWay() == 0);
        assertThat(tries).hasValue(1);
    }

    @Test
    void aStoppingNodeDoesNotWaitForTheDatabase() {
        stopped.set(true);
        AtomicInteger tries = new AtomicInteger();
        AtomicBoolean written = new AtomicBoolean();
        writer.execute(databaseAwayFor(1, tries, written));
        Await.until("given up", Duration.ofSeconds(5), () -> tries.get() == 1 && writer.underWay() == 0);
        assertThat(written).isFalse();
    }

    @Test
    void delaysDoubleUpToTenSeconds() {
        assertThat(OutcomeWriter.delay(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(OutcomeWriter.delay(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(OutcomeWriter.delay(20)).isEqualTo(Duration.ofSeconds(10));
    }
}
