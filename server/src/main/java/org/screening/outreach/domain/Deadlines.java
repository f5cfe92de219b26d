package org.screening.outreach.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** How long each category may wait from receipt until the person must have been reached. */
public final class Deadlines {
    private final Map<Category, Duration> byCategory;

    private Deadlines(Map<Category, Duration> byCategory) {
        this.byCategory = byCategory;
    }

    public static Deadlines defaults() {
        return withOverrides(Map.of());
    }

    public static Deadlines withOverrides(Map<Category, Duration> overrides) {
        Map<Category, Duration> m = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            Duration d = overrides.getOrDefault(c, c.defaultDeadline());
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("deadline of " + c + " must be positive");
            m.put(c, d);
        }
        return new Deadlines(m);
    }

    public Duration of(Category category) {
        return byCategory.get(category);
    }

    public Instant deadlineFor(Category category, Instant receivedAt) {
        return receivedAt.plus(of(category));
    }
}
