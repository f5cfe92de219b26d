package org.screening.outreach.channels.sms.twilio;

import org.screening.outreach.channels.twilio.RetryPolicy;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.screening.outreach.domain.AttemptOutcome;

class TwilioSmsStatusTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "queued,", "accepted,", "scheduled,", "sending,", "sent,",
        "delivered,DELIVERED", "read,DELIVERED", "partially_delivered,DELIVERED",
        "undelivered,UNDELIVERED", "failed,FAILED", "canceled,FAILED", "DELIVERED,DELIVERED"})
    void mapsTwilioStatuses(String wire, AttemptOutcome expected) {
        TwilioSmsStatus s = TwilioSmsStatus.parse(wire).orElseThrow();
        assertThat(s.outcome()).isEqualTo(Optional.ofNullable(expected));
        assertThat(s.isFinal()).isEqualTo(expected != null);
    }

    @Test
    void unknownAndInboundStatusesAreNotOurs() {
        assertThat(TwilioSmsStatus.parse("received")).isEmpty();
        assertThat(TwilioSmsStatus.parse("bogus")).isEmpty();
        assertThat(TwilioSmsStatus.parse(null)).isEmpty();
    }

    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({
        ",queued,true", "queued,sent,true", "sent,queued,false", "queued,sending,true", "sending,sent,true",
        "sent,delivered,true", "delivered,sent,false", "delivered,delivered,false", "queued,delivered,true",
        "undelivered,delivered,false", "failed,sent,false", "delivered,undelivered,false", "delivered,read,true",
        "read,delivered,false", "sent,failed,true", "accepted,queued,false"})
    void appliesCallbacksMonotonically(String current, String incoming, boolean applies) {
        TwilioSmsStatus cur = current == null ? null : TwilioSmsStatus.parse(current).orElseThrow();
        assertThat(TwilioSmsStatus.supersedes(cur, TwilioSmsStatus.parse(incoming).orElseThrow())).isEqualTo(applies);
    }

    @Test
    void backoffDoublesWithinJitterAndIsCapped() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(1), false);
        assertThat(p.backoff(1, 0.0)).isEqualTo(Duration.ofMillis(500));
        assertThat(p.backoff(1, 0.999999)).isEqualTo(Duration.ofMillis(1000));
        assertThat(p.backoff(2, 0.0)).isEqualTo(Duration.ofMillis(1000));
        assertThat(p.backoff(3, 0.5)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(4000));
        assertThat(p.backoff(10, 0.999999)).isEqualTo(Duration.ofSeconds(5));
        assertThat(p.backoff(100, 0.0)).isEqualTo(Duration.ofMillis(2500));
    }
}
