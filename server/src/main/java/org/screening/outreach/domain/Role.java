package org.screening.outreach.domain;

import java.util.Locale;
import java.util.Optional;

/** Level of the holder of an API token or staff account; the jurisdiction prefix limits what it sees. */
public enum Role {
    PROVINCE, CITY, COUNTY, COMMUNITY, STAFF;

    public static Optional<Role> parse(String s) {
        if (s == null) return Optional.empty();
        try {
            return Optional.of(valueOf(s.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** No wider than {@code other}: province is the widest, staff the narrowest. */
    public boolean within(Role other) {
        return ordinal() >= other.ordinal();
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
