package org.screening.outreach.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.CapacityForecast.Waiting;

class CapacityForecastTest {
    static final Instant T0 = Instant.parse("2022-04-01T01:00:00Z");

    @Test
    void throughputIsTheTighterOfRateAndChannels() {
        assertThat(CapacityForecast.throughput(120, 10, Duration.ofSeconds(60))).isEqualTo(2.0);
        assertThat(CapacityForecast.throughput(1000, 10, Duration.ofSeconds(60))).isEqualTo(10.0);
    }

    @Test
    void enoughCapacityMeansNoShortfall() {
        List<Waiting> w = new ArrayList<>();
        for (int i = 0; i < 100; i++) w.add(new Waiting("c" + i, T0, T0.plus(Duration.ofHours(1))));
        assertThat(CapacityForecast.shortfall(w, T0, 1.0)).isEmpty(); // 100 calls in 100 s, an hour available
    }

    @Test
    void theCasesThatCannotBeCalledBeforeTheirEscalationPointAreNamed() {
        // 1 call/s, escalation in 60 s: the first 60 fit, the rest would start too late.
        List<Waiting> w = new ArrayList<>();
        for (int i = 0; i < 100; i++) w.add(new Waiting("c" + i, T0, T0.plus(Duration.ofSeconds(60))));
        List<String> late = CapacityForecast.shortfall(w, T0, 1.0);
        assertThat(late).hasSize(40).startsWith("c60").endsWith("c99");
    }

    @Test
    void aLaterDueCallDoesNotHoldUpCallsDueNowAndUsesItsOwnSlot() {
        List<Waiting> w = List.of(
                new Waiting("retry", T0.plus(Duration.ofSeconds(10)), T0.plus(Duration.ofSeconds(11))),
                new Waiting("a", T0, T0.plus(Duration.ofSeconds(100))),
                new Waiting("b", T0, T0.plus(Duration.ofSeconds(100))));
        assertThat(CapacityForecast.shortfall(w, T0, 1.0)).isEmpty();
        List<Waiting> crowded = new ArrayList<>();
        crowded.add(new Waiting("urgent", T0, T0.plus(Duration.ofSeconds(2))));
        crowded.add(new Waiting("urgent2", T0, T0.plus(Duration.ofSeconds(2))));
        crowded.add(new Waiting("urgent3", T0, T0.plus(Duration.ofSeconds(2))));
        assertThat(CapacityForecast.shortfall(crowded, T0, 1.0)).containsExactly("urgent3");
    }
}
