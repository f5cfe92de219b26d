package org.screening.outreach.domain;

import java.util.Map;
import java.util.Optional;

/**
 * What the reminder SMS and the call greeting call a community: names by division code (a village-level community,
 * or a street, county, city above it). A code without a name of its own takes its nearest named ancestor's, so a
 * county that named only its streets still greets by street rather than reading out twelve digits.
 */
public final class CommunityNames {
    /** Longest name kept: it sits in a 70-character SMS segment and in a spoken greeting. */
    public static final int MAX_NAME = 40;

    private final Map<String, String> byCode;

    public CommunityNames(Map<String, String> byCode) {
        this.byCode = Map.copyOf(byCode);
    }

    public static CommunityNames none() {
        return new CommunityNames(Map.of());
    }

    /** A name and the division code it was given for (the code names the community's recorded name on a PBX). */
    public record Named(String code, String name) {}

    /** The name of {@code jurisdiction}'s own level, or of the nearest level above it that has one. */
    public Optional<String> of(String jurisdiction) {
        return named(jurisdiction).map(Named::name);
    }

    /** The same name with the code it is registered under. */
    public Optional<Named> named(String jurisdiction) {
        if (jurisdiction == null) return Optional.empty();
        for (int len = Math.min(12, jurisdiction.length()); len >= 2; len--) {
            String code = jurisdiction.substring(0, len);
            String name = byCode.get(code);
            if (name != null) return Optional.of(new Named(code, name));
        }
        return Optional.empty();
    }

    public int size() {
        return byCode.size();
    }

    /** Why {@code code} cannot be named, or null when it can. */
    public static String codeProblem(String code) {
        if (code == null || code.isEmpty() || !Jurisdiction.isLevelPrefix(code)) {
            return "code must be a division code of 2, 4, 6, 9 or 12 digits";
        }
        return null;
    }

    /**
     * Why {@code name} cannot be used, or null when it can. Control characters and markup are refused rather than
     * cleaned: the name goes into SMS text and speech, and a silently changed name is worse than a clear refusal.
     */
    public static String nameProblem(String name) {
        if (name == null || name.isBlank()) return "name is required";
        if (name.strip().codePointCount(0, name.strip().length()) > MAX_NAME) {
            return "name must be at most " + MAX_NAME + " characters";
        }
        boolean odd = name.codePoints().anyMatch(cp -> Character.isISOControl(cp) || cp == '<' || cp == '>'
                || cp == '$' || cp == '#');
        return odd ? "name must not contain control characters, <, >, $ or #" : null;
    }
}
