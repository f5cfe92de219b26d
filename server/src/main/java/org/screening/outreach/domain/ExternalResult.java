package org.screening.outreach.domain;

import java.util.Locale;
import java.util.Optional;

/**
 * What a community system reports about a case it handled outside this server: a control measure taken
 * (居家隔离 / 集中隔离 / 健康监测), which puts the case UNDER_CONTROL, or a verification done elsewhere.
 */
public enum ExternalResult {
    HOME_ISOLATION(true), CENTRALISED_ISOLATION(true), HEALTH_MONITORING(true), VERIFIED(false);

    private final boolean controlMeasure;

    ExternalResult(boolean controlMeasure) {
        this.controlMeasure = controlMeasure;
    }

    public boolean controlMeasure() {
        return controlMeasure;
    }

    public static Optional<ExternalResult> parse(String s) {
        if (s == null) return Optional.empty();
        try {
            return Optional.of(valueOf(s.strip().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
