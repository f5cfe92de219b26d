package org.screening.outreach.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.screening.outreach.support.MutableClock;

/** Deployment-wide limits split between the dispatching nodes, and buckets following a changed share. */
class NodeShareTest {
    @Test
    void eachNodeTakesItsPartAndTogetherTheyNeverExceedTheLimit() {
        NodeShare share = NodeShare.alone();
        assertThat(share.rate(100)).isEqualTo(100);
        assertThat(share.count(30)).isEqualTo(30);
        share.nodes(3);
        assertThat(share.rate(100) * 3).isEqualTo(100, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(share.count(30)).isEqualTo(10);
        assertThat(share.count(10) * 3).as("rounded down: 3 × 3 ≤ 10").isEqualTo(9);
        assertThat(share.count(2)).as("every node keeps one channel to work with").isEqualTo(1);
        share.nodes(0);
        assertThat(share.nodes()).isEqualTo(1);
    }

    @Test
    void aBucketWhoseRateShrinksDropsTheTokensAboveItsNewBurstAtOnce() {
        MutableClock clock = new MutableClock(Instant.parse("2022-04-01T02:00:00Z"));
        TokenBucket bucket = new TokenBucket(100, 100, clock);
        assertThat(bucket.available()).isEqualTo(100);
        bucket.setRate(25);
        assertThat(bucket.available()).isEqualTo(25);
        bucket.take(25);
        clock.advance(Duration.ofMillis(400));
        assertThat(bucket.available()).isEqualTo(10);
        bucket.setRate(50);
        clock.advance(Duration.ofSeconds(2));
        assertThat(bucket.available()).as("burst follows the new rate").isEqualTo(50);
    }
}
