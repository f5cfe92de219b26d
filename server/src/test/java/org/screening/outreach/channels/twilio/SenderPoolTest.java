package org.screening.outreach.channels.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.screening.outreach.support.MutableClock;

/**
 * How many Twilio requests a node has in flight: enough for the account's rate while Twilio answers quickly, fewer
 * at once when it slows down (each request open at a timeout may have been sent and is then given up).
 */
class SenderPoolTest {
    final MutableClock clock = new MutableClock(Instant.parse("2022-04-20T02:00:00Z"));
    final Deque<Runnable> threads = new ArrayDeque<>(); // the requests let through to a thread, run by hand
    final SenderPool pool = new SenderPool(threads::add, clock, 8, 64, Duration.ofSeconds(2));
    final AtomicInteger sent = new AtomicInteger();
    /** What "Twilio" answers the requests run from now on. */
    SenderPool.Answer answer = SenderPool.Answer.CREATED;

    void queue(int requests) {
        for (int i = 0; i < requests; i++) pool.execute(() -> {
            sent.incrementAndGet();
            SenderPool.answered(answer);
        });
    }

    /** Every request in flight answers after {@code latency}. */
    void answerAllInFlight(Duration latency) {
        clock.advance(latency);
        int inFlight = threads.size();
        for (int i = 0; i < inFlight; i++) threads.poll().run();
    }

    @Test
    void aNodeStartsWithFewRequestsInFlightAndTheRestWait() {
        queue(100);
        assertThat(threads).hasSize(8);
        assertThat(pool.waiting()).isEqualTo(92);
        assertThat(sent).hasValue(0);
    }

    @Test
    void quickAnswersLetMoreRequestsFlyUpToTheCeiling() {
        queue(1_000);
        answerAllInFlight(Duration.ofMillis(200));
        assertThat(threads).as("each quick answer makes room for two").hasSize(16);
        answerAllInFlight(Duration.ofMillis(200));
        assertThat(threads).hasSize(32);
        for (int i = 0; i < 5; i++) answerAllInFlight(Duration.ofMillis(200));
        assertThat(threads).hasSize(64);
        assertThat(pool.limit()).isEqualTo(64);
        int before = sent.get();
        answerAllInFlight(Duration.ofMillis(200));
        assertThat(sent.get() - before).isEqualTo(64);
        assertThat(pool.running()).isEqualTo(64);
    }

    @Test
    void aSlowdownHalvesWhatFliesOnceAndRoomComesBackSlowly() {
        queue(1_000);
        answerAllInFlight(Duration.ofMillis(200));
        answerAllInFlight(Duration.ofMillis(200));
        assertThat(pool.limit()).isEqualTo(32);

        answerAllInFlight(Duration.ofSeconds(5)); // all 32 came back slow at once: one cut, not 32
        assertThat(pool.limit()).isEqualTo(16);
        assertThat(threads).hasSize(16);

        answerAllInFlight(Duration.ofMillis(200)); // quick again: about one more per window, no longer doubling
        assertThat(pool.limit()).isEqualTo(16);
        answerAllInFlight(Duration.ofMillis(200));
        assertThat(pool.limit()).isEqualTo(17);
    }

    @Test
    void aLongSlowdownGoesDownToTheFloorAndNoFurther() {
        queue(1_000);
        for (int i = 0; i < 4; i++) answerAllInFlight(Duration.ofMillis(200));
        assertThat(pool.limit()).isEqualTo(64);
        for (int i = 0; i < 6; i++) answerAllInFlight(Duration.ofSeconds(15));
        assertThat(pool.limit()).isEqualTo(8);
        assertThat(threads).hasSize(8);
    }

    @Test
    void answersQueueingBehindEachOtherStopTheGrowthWithoutACut() {
        queue(1_000);
        answerAllInFlight(Duration.ofMillis(200));
        answerAllInFlight(Duration.ofMillis(200));
        assertThat(pool.limit()).isEqualTo(32);
        for (int i = 0; i < 3; i++) answerAllInFlight(Duration.ofMillis(600)); // three times the quickest: a queue
        assertThat(pool.limit()).isEqualTo(32);
        answerAllInFlight(Duration.ofMillis(220)); // the queue is gone
        assertThat(pool.limit()).isEqualTo(64);
    }

    @Test
    void aPoolThatNeverFillsUpDoesNotGrow() {
        for (int i = 0; i < 50; i++) {
            queue(3); // a trickle: three at a time, each answered before the next ones come
            answerAllInFlight(Duration.ofMillis(200));
        }
        assertThat(sent).hasValue(150);
        assertThat(pool.limit()).as("no more room than it has needed").isEqualTo(8);
    }

    @Test
    void requestsOpenTooLongCutWhatStartsNextBeforeAnyAnswerComesBack() {
        queue(1_000);
        answerAllInFlight(Duration.ofMillis(200));
        answerAllInFlight(Duration.ofMillis(200));
        assertThat(threads).hasSize(32);

        clock.advance(Duration.ofSeconds(3)); // Twilio went silent: the 32 stay open
        queue(1);
        assertThat(pool.limit()).isEqualTo(16);
        threads.poll().run(); // one comes back at last (slow: the same slowdown, not a second cut)
        assertThat(pool.limit()).isEqualTo(16);
        assertThat(threads).as("31 still open, more than the new limit: nothing new starts").hasSize(31);
    }

    @Test
    void serverErrorsChangeNothingAndThrottlingHalvesWhatFlies() {
        queue(1_000);
        answerAllInFlight(Duration.ofMillis(200));
        answerAllInFlight(Duration.ofMillis(200));
        assertThat(pool.limit()).isEqualTo(32);

        answer = SenderPool.Answer.FAILED; // 503s, quickly: no sign of how many Twilio takes at once
        answerAllInFlight(Duration.ofMillis(50));
        assertThat(pool.limit()).isEqualTo(32);

        answer = SenderPool.Answer.OVERLOADED; // 429s, or no answer at all
        answerAllInFlight(Duration.ofMillis(50));
        assertThat(pool.limit()).as("one cut for the window").isEqualTo(16);
        assertThat(threads).hasSize(16);
    }

    @Test
    void textsGivenUpWithoutAskingTwilioDoNotCountAsQuickAnswers() {
        for (int i = 0; i < 100; i++) pool.execute(() -> { }); // waited past their lease budget: no answer to report
        for (int i = 0; i < 100; i++) threads.poll().run();
        assertThat(pool.limit()).isEqualTo(8);
        assertThat(pool.running()).isZero();
        assertThat(pool.waiting()).isZero();
    }

    @Test
    void aRequestThatThrowsStillFreesItsRoom() {
        SenderPool failing = new SenderPool(threads::add, clock, 1, 1, Duration.ofSeconds(2));
        failing.execute(() -> { throw new IllegalStateException("boom"); });
        failing.execute(sent::incrementAndGet);
        assertThat(threads).hasSize(1);
        try {
            threads.poll().run();
        } catch (IllegalStateException expected) {
            // the thread's own handler sees it; the pool must go on
        }
        assertThat(threads).hasSize(1);
        threads.poll().run();
        assertThat(sent).hasValue(1);
    }
}
