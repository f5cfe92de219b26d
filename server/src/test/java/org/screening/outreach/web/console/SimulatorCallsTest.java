package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.screening.outreach.support.MutableClock;

/** The simulator's in-memory calls: bounded, forgotten when idle. */
class SimulatorCallsTest {
    final MutableClock clock = new MutableClock(Instant.parse("2022-04-20T02:00:00Z"));
    final SimulatorCalls calls = new SimulatorCalls(clock);

    SimulatorCalls.Call call() {
        return new SimulatorCalls.Call("screening-call", "zh-CN", null, clock.instant());
    }

    @Test
    void aCallIsForgottenAfterThirtyIdleMinutesButUseKeepsItAlive() {
        calls.put("a", call());
        clock.advance(Duration.ofMinutes(29));
        assertThat(calls.get("a")).isPresent();
        clock.advance(Duration.ofMinutes(29));
        assertThat(calls.get("a")).isPresent();
        clock.advance(Duration.ofMinutes(31));
        assertThat(calls.get("a")).isEmpty();
        assertThat(calls.size()).isZero();
    }

    @Test
    void theLeastRecentlyUsedCallGoesWhenTheMapIsFull() {
        for (int i = 0; i < SimulatorCalls.MAX_CALLS; i++) calls.put("s" + i, call());
        assertThat(calls.get("s0")).isPresent();
        calls.put("new", call());
        assertThat(calls.size()).isEqualTo(SimulatorCalls.MAX_CALLS);
        assertThat(calls.get("s0")).isPresent();
        assertThat(calls.get("s1")).isEmpty();
        assertThat(calls.get("new")).isPresent();
    }
}
