package org.screening.outreach.ledger.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatermarkWalkTest {
    static final Instant T0 = Instant.parse("2022-04-01T00:00:00Z");
    static final Duration GRACE = Duration.ofSeconds(5);
    final List<long[]> probes = new ArrayList<>();

    WatermarkWalk.GapProbe probe(boolean settled) {
        return (from, to) -> {
            probes.add(new long[] {from, to});
            return settled;
        };
    }

    @Test
    void aContiguousRunIsPassedWhole() {
        var s = WatermarkWalk.walk(10, null, 0, new long[] {11, 12, 13}, T0, GRACE, probe(false));
        assertThat(s).isEqualTo(new WatermarkWalk.Step(13, null, 0, 3));
        assertThat(probes).isEmpty();
    }

    @Test
    void aGapIsNotedThenWaitedOutForTheGraceBeforeAnyProbe() {
        var first = WatermarkWalk.walk(10, null, 0, new long[] {11, 13, 14}, T0, GRACE, probe(true));
        assertThat(first).isEqualTo(new WatermarkWalk.Step(11, T0, 14, 1));
        var early = WatermarkWalk.walk(11, T0, 14, new long[] {13, 14}, T0.plusSeconds(4), GRACE, probe(true));
        assertThat(early).isEqualTo(new WatermarkWalk.Step(11, T0, 14, 0));
        assertThat(probes).isEmpty();
    }

    @Test
    void anOpenInsertInTheGapHoldsTheWatermarkHoweverLongItTakes() {
        var s = WatermarkWalk.walk(11, T0, 14, new long[] {13, 14}, T0.plus(Duration.ofHours(1)), GRACE, probe(false));
        assertThat(s).isEqualTo(new WatermarkWalk.Step(11, T0, 14, 0));
        assertThat(probes).containsExactly(new long[] {12, 14});
    }

    @Test
    void aSettledGapIsPassedUpToItsTopAndANewGapAboveStartsItsOwnWait() {
        Instant now = T0.plusSeconds(6);
        var s = WatermarkWalk.walk(11, T0, 14, new long[] {13, 14, 15, 17}, now, GRACE, probe(true));
        assertThat(s).isEqualTo(new WatermarkWalk.Step(15, now, 17, 3));
    }

    @Test
    void aGapCommittedMeanwhileIsSimplyRead() {
        var s = WatermarkWalk.walk(11, T0, 14, new long[] {12, 13, 14}, T0.plusSeconds(1), GRACE, probe(false));
        assertThat(s).isEqualTo(new WatermarkWalk.Step(14, null, 0, 3));
    }

    @Test
    void aBatchEndingBelowTheSettledTopKeepsTheObservationForTheRest() {
        var s = WatermarkWalk.walk(11, T0, 20, new long[] {13, 14}, T0.plusSeconds(6), GRACE, probe(true));
        assertThat(s).isEqualTo(new WatermarkWalk.Step(14, T0, 20, 2));
    }
}
