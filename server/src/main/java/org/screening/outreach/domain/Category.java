package org.screening.outreach.domain;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Risk category of a pushed person; the default deadline is counted from receipt (DESIGN.md table). */
public enum Category {
    RED(Duration.ofHours(2), "红码"),
    YELLOW(Duration.ofHours(12), "黄码"),
    REGIONAL_ASSIST(Duration.ofHours(12), "区域协查"),
    COMPANION(Duration.ofHours(8), "时空伴随", "同车同机", "重点区域驻留"),
    ROAMING(Duration.ofHours(24), "省际漫游"),
    ARRIVAL(Duration.ofHours(8), "来返人员", "社区报告");

    private final Duration defaultDeadline;
    private final List<String> chineseNames;

    Category(Duration defaultDeadline, String... chineseNames) {
        this.defaultDeadline = defaultDeadline;
        this.chineseNames = List.of(chineseNames);
    }

    public Duration defaultDeadline() {
        return defaultDeadline;
    }

    public String chineseName() {
        return chineseNames.get(0);
    }

    /** Accepts the code in any case or any of the Chinese names used in pushed lists. */
    public static Optional<Category> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.strip();
        for (Category c : values()) {
            if (c.name().equals(t.toUpperCase(Locale.ROOT)) || c.chineseNames.contains(t)) return Optional.of(c);
        }
        return Optional.empty();
    }
}
