package org.screening.outreach.domain;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The retry plan of every category; defaults below, each replaceable by configuration. */
public final class RetryPlans {
    private final Map<Category, RetryPlan> plans;

    private RetryPlans(Map<Category, RetryPlan> plans) {
        this.plans = plans;
    }

    public static RetryPlans defaults() {
        Map<Category, RetryPlan> m = new EnumMap<>(Category.class);
        // RED must be reached within 2 h: three calls 20 min apart, door knock at deadline − 60 min, day or night.
        m.put(Category.RED, new RetryPlan(List.of(Duration.ZERO), minutes(0, 20, 40), Duration.ofMinutes(5),
                Duration.ofMinutes(60), true));
        RetryPlan twelveHours = new RetryPlan(List.of(Duration.ZERO), minutes(0, 120, 240), Duration.ofMinutes(15),
                Duration.ofHours(4), false);
        m.put(Category.YELLOW, twelveHours);
        m.put(Category.REGIONAL_ASSIST, twelveHours);
        RetryPlan eightHours = new RetryPlan(List.of(Duration.ZERO), minutes(0, 60, 120), Duration.ofMinutes(10),
                Duration.ofHours(3), false);
        m.put(Category.COMPANION, eightHours);
        m.put(Category.ARRIVAL, eightHours);
        m.put(Category.ROAMING, new RetryPlan(List.of(Duration.ZERO), minutes(0, 180, 360), Duration.ofMinutes(20),
                Duration.ofHours(8), false));
        return new RetryPlans(m);
    }

    public RetryPlans with(Category category, RetryPlan plan) {
        Map<Category, RetryPlan> m = new EnumMap<>(plans);
        m.put(category, plan);
        return new RetryPlans(m);
    }

    public RetryPlan of(Category category) {
        return plans.get(category);
    }

    /**
     * Categories whose deadline leaves no time for their first call before the door-knock lead (a deadline set
     * shorter than the lead, say): their cases go to staff at once, never called. Said at start, not refused: a
     * deployment may mean it.
     */
    public List<Category> neverCalled(Deadlines deadlines) {
        return java.util.Arrays.stream(Category.values()).filter(c -> {
            RetryPlan p = plans.get(c);
            return !p.callsAt().isEmpty()
                    && p.callsAt().get(0).compareTo(deadlines.of(c).minus(p.escalationLead())) >= 0;
        }).toList();
    }

    private static List<Duration> minutes(long... offsets) {
        return java.util.Arrays.stream(offsets).mapToObj(Duration::ofMinutes).toList();
    }
}
