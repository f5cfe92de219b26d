package org.screening.outreach.web.api;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.screening.outreach.intake.IntakeSummary;

/**
 * {@code intake_rows_total{result=…}}: accepted, duplicate, merged and rejected rows of pushes and imports;
 * {@code under_control} counts the accepted closed at once as duplicates, {@code control_listed} control-list rows.
 */
public final class IntakeCounters {
    private final Counter accepted;
    private final Counter duplicate;
    private final Counter merged;
    private final Counter rejected;
    private final Counter underControl;
    private final Counter controlListed;

    public IntakeCounters(MeterRegistry registry) {
        accepted = registry.counter("intake_rows", "result", "accepted");
        duplicate = registry.counter("intake_rows", "result", "duplicate");
        merged = registry.counter("intake_rows", "result", "merged");
        rejected = registry.counter("intake_rows", "result", "rejected");
        underControl = registry.counter("intake_rows", "result", "under_control");
        controlListed = registry.counter("intake_rows", "result", "control_listed");
    }

    public void count(IntakeSummary s) {
        accepted.increment(s.accepted());
        duplicate.increment(s.duplicates());
        merged.increment(s.merged());
        rejected.increment(s.rejectedRows());
        underControl.increment(s.underControl());
        controlListed.increment(s.controlListed());
    }
}
