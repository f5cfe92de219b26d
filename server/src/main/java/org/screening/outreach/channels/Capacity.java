package org.screening.outreach.channels;

import java.time.Duration;
import org.screening.outreach.domain.CapacityForecast;

/**
 * How much a provider carries: attempts in flight at once and new ones per second. {@code concurrentAreCalls}: an
 * attempt holds its slot for the whole call (Asterisk's channels, ringing or talking); false when the slot is only
 * the request that places it (Twilio frees it at its 201, the call itself runs on Twilio's side).
 */
public record Capacity(int maxConcurrent, double perSecond, boolean concurrentAreCalls) {
    public Capacity {
        if (maxConcurrent < 1 || perSecond <= 0) throw new IllegalArgumentException("capacity must be positive");
    }

    public Capacity(int maxConcurrent, double perSecond) {
        this(maxConcurrent, perSecond, true);
    }

    /** Calls per second it can start and carry when calls last {@code averageHold} (the capacity forecast's rate). */
    public double callsPerSecond(Duration averageHold) {
        return concurrentAreCalls ? CapacityForecast.throughput(maxConcurrent, perSecond, averageHold) : perSecond;
    }
}
