package org.screening.outreach.channels;

/** How much a provider carries: attempts in flight at once (calls ringing or talking) and new ones per second. */
public record Capacity(int maxConcurrent, double perSecond) {
    public Capacity {
        if (maxConcurrent < 1 || perSecond <= 0) throw new IllegalArgumentException("capacity must be positive");
    }
}
