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
 * A request that waited for a sender thread longer than its whole retry budget (its lease nearly gone) is not made:
 * another node may be about to send the same message.
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
    void aRequestThatWaitedPastTheBudgetIsNotMadeAndFailsAsNotSent() {
        handOver(2);
        clock.advance(policy.maxElapsed().plusSeconds(1));
        threads.poll().run();
        assertThat(made).as("nothing went to Twilio").hasValue(0);
        assertThat(failed).singleElement().satisfies(d -> assertThat(d)
                .containsEntry("retriesExhausted", true).containsEntry("tries", 0).doesNotContainKey("maybeSent"));
    }
}
