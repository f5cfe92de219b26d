package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Twilio SMS sender threads follow the configured rate, so texts do not queue for a thread while leases run. */
class DispatchingTest {
    @Test
    void senderThreadsAreHalfASecondOfTheRateWithinBounds() {
        assertThat(Dispatching.smsSenders(10)).isEqualTo(8);
        assertThat(Dispatching.smsSenders(100)).isEqualTo(50);
        assertThat(Dispatching.smsSenders(2000)).as("Twilio's account cap").isEqualTo(512);
    }
}
