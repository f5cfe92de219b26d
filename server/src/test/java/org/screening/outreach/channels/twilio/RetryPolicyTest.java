package org.screening.outreach.channels.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Duration RESPONSE = Duration.ofSeconds(15);

    @Test
    void retriesEndWhileTheAttemptIsStillLeased() {
        RetryPolicy d = RetryPolicy.defaults();
        // The default 2-minute SMS lease leaves the full minute of retries.
        assertThat(d.within(Duration.ofMinutes(2), RESPONSE)).isEqualTo(d);
        // A 30 s lease: the last try starts by 30 − 15 − 5 = 10 s, so it has ended before the lease does.
        RetryPolicy short30 = d.within(Duration.ofSeconds(30), RESPONSE);
        assertThat(short30.maxElapsed()).isEqualTo(Duration.ofSeconds(10));
        assertThat(short30.maxTries()).isEqualTo(d.maxTries());
        // A lease shorter than one answer's wait: one try, no retry.
        RetryPolicy none = d.within(Duration.ofSeconds(10), RESPONSE);
        assertThat(none.maxTries()).isEqualTo(1);
        assertThat(none.maxElapsed()).isZero();
    }

    @Test
    void backoffDoublesWithEqualJitterUpToTheCap() {
        RetryPolicy d = RetryPolicy.defaults();
        assertThat(d.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(d.backoff(1, 0.999)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(1));
        assertThat(d.backoff(3, 0.0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(d.backoff(40, 0.0)).isEqualTo(Duration.ofSeconds(15));
    }
}
