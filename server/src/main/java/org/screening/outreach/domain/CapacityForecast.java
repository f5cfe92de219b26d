package org.screening.outreach.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Projects when each waiting call can start given the channel's throughput, the way the dispatcher serves them
 * (nearest deadline first, none before it is due), and names the cases whose call would start only at or after
 * their escalation point. Those go to a door knock now, while staff still have the whole lead time.
 */
public final class CapacityForecast {
    private CapacityForecast() {}

    /** The next call of one waiting case. */
    public record Waiting(String caseId, Instant dueAt, Instant escalateAt) {}

    /** Calls per second the line sustains: the rate limit, or channels divided by how long a call holds one. */
    public static double throughput(int channels, double callsPerSecond, Duration averageHold) {
        double byChannels = averageHold.isZero() ? Double.MAX_VALUE : channels / (averageHold.toMillis() / 1000.0);
        return Math.min(callsPerSecond, byChannels);
    }

    /**
     * {@code inDeadlineOrder} as the dispatcher would take them. Each call takes the first free start slot (slots
     * are 1/throughput apart from {@code now}) at or after its due time; a call whose slot is at or past its
     * escalation point is a shortfall and takes no slot.
     */
    public static List<String> shortfall(List<Waiting> inDeadlineOrder, Instant now, double throughput) {
        double slotMillis = 1000.0 / throughput;
        Map<Long, Long> nextFree = new HashMap<>(); // union-find over taken slots: slot → a later candidate
        List<String> late = new ArrayList<>();
        for (Waiting w : inDeadlineOrder) {
            long wanted = w.dueAt().isAfter(now) ? (long) Math.ceil((w.dueAt().toEpochMilli() - now.toEpochMilli()) / slotMillis) : 0;
            long slot = find(nextFree, wanted);
            Instant start = now.plusMillis((long) (slot * slotMillis));
            if (!start.isBefore(w.escalateAt())) {
                late.add(w.caseId());
            } else {
                nextFree.put(slot, slot + 1);
            }
        }
        return late;
    }

    private static long find(Map<Long, Long> next, long slot) {
        long root = slot;
        while (next.containsKey(root)) root = next.get(root);
        long s = slot;
        while (next.containsKey(s)) { // path compression keeps the walk short for long queues
            long n = next.get(s);
            next.put(s, root);
            s = n;
        }
        return root;
    }
}
