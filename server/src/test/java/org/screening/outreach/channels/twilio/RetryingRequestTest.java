package org.screening.outreach.channels.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.screening.outreach.support.MutableClock;

/**
 * A request or a retry that waited for a sender thread longer than its whole retry budget (its lease nearly gone) is
 * not made: another node may be about to send the same message.
 */
class RetryingRequestTest {
    final MutableClock clock = new MutableClock(Instant.parse("2022-04-20T02:00:00Z"));
    final Deque<Runnable> threads = new ArrayDeque<>(); // the sender pool, run by hand
    final RetryPolicy policy = RetryPolicy.defaults().within(Duration.ofMinutes(2), Duration.ofSeconds(15));
    final RetryingRequest requests = new RetryingRequest("sms", threads::add, clock, policy,
            (delay, action) -> { }, () -> 0.5);
    final AtomicInteger made = new AtomicInteger();
    final List<String> created = new ArrayList<>();
    final List<Map<String, Object>> failed = new ArrayList<>();

    void handOver(long attemptId) {
        requests.run(attemptId, "+8613800138000", () -> "SM" + made.incrementAndGet(), created::add, failed::add);
    }

    @Test
    void aRequestThatGetsAThreadWithinTheBudgetIsMade() {
        handOver(1);
        clock.advance(policy.maxElapsed());
        threads.poll().run();
        assertThat(created).containsExactly("SM1");
        assertThat(failed).isEmpty();
    }

    @Test
    void aRetryThatGetsAThreadWithinTheBudgetIsMade() {
        List<Runnable> timers = new ArrayList<>();
        AtomicInteger tries = failingOnceThenCreating(timers);
        threads.poll().run();
        timers.remove(0).run(); // the backoff is over: the retry waits for a thread
        clock.advance(policy.maxElapsed().minusSeconds(1));
        threads.poll().run();
        assertThat(tries).hasValue(2);
        assertThat(created).containsExactly("SM2");
        assertThat(failed).isEmpty();
    }

    @Test
    void aRetryThatWaitedForAThreadPastTheBudgetIsNotMade() {
        List<Runnable> timers = new ArrayList<>();
        AtomicInteger tries = failingOnceThenCreating(timers);
        threads.poll().run();
        timers.remove(0).run();
        clock.advance(policy.maxElapsed().plusSeconds(1)); // a slowed-down pool: the lease may be gone by now
        threads.poll().run();
        assertThat(tries).as("no second request to Twilio").hasValue(1);
        assertThat(created).isEmpty();
        assertThat(failed).singleElement().satisfies(d -> assertThat(d).containsEntry("retriesExhausted", true)
                .containsEntry("tries", 1).containsEntry("httpStatus", 503).doesNotContainKey("maybeSent"));
    }

    /** A request answered 503 (nothing created) on its first try and created on any later one; retries wait on timers. */
    AtomicInteger failingOnceThenCreating(List<Runnable> timers) {
        RetryingRequest withTimers = new RetryingRequest("sms", threads::add, clock, policy,
                (delay, action) -> timers.add(action), () -> 0.5);
        AtomicInteger tries = new AtomicInteger();
        withTimers.run(3, "+8613800138000", () -> {
            if (tries.incrementAndGet() == 1) throw new com.twilio.exception.ApiException("Service Unavailable", 503);
            return "SM" + tries.get();
        }, created::add, failed::add);
        return tries;
    }

    @Test
    void aRequestThatWaitedPastTheBudgetIsNotMadeAndFailsAsNotSent() {
        handOver(2);
        clock.advance(policy.maxElapsed().plusSeconds(1));
        threads.poll().run();
        assertThat(made).as("nothing went to Twilio").hasValue(0);
        assertThat(failed).singleElement().satisfies(d -> assertThat(d)
                .containsEntry("retriesExhausted", true).containsEntry("tries", 0).doesNotContainKey("maybeSent"));
    }
}
