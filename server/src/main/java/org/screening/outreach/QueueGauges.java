package org.screening.outreach;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.screening.outreach.dispatch.QueueFigures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code cases_overdue}, {@code attempts_due}, {@code attempts_oldest_due_seconds} and the door-knock gauges, read
 * from the database just before each scrape (the same on every node: they describe the shared queue, not this
 * process).
 */
final class QueueGauges {
    private static final Logger log = LoggerFactory.getLogger(QueueGauges.class);

    private QueueGauges() {}

    static Runnable register(MeterRegistry registry, QueueFigures figures, Clock clock) {
        AtomicLong overdue = new AtomicLong();
        AtomicLong due = new AtomicLong();
        AtomicLong oldest = new AtomicLong();
        AtomicLong knocks = new AtomicLong();
        AtomicLong knocksSoon = new AtomicLong();
        AtomicLong knocksOverdue = new AtomicLong();
        Gauge.builder("cases_overdue", overdue, AtomicLong::get)
                .description("open cases past their deadline and not reached").register(registry);
        Gauge.builder("attempts_due", due, AtomicLong::get)
                .description("SMS and calls due but not yet taken by a node").register(registry);
        Gauge.builder("attempts_oldest_due_seconds", oldest, AtomicLong::get)
                .description("how long the longest-waiting due attempt has waited").register(registry);
        Gauge.builder("door_knocks_open", knocks, AtomicLong::get)
                .description("door-knock tasks open or assigned").register(registry);
        Gauge.builder("door_knocks_unassigned_due_soon", knocksSoon, AtomicLong::get)
                .description("door-knock tasks nobody took on, due within an hour or already past").register(registry);
        Gauge.builder("door_knocks_overdue", knocksOverdue, AtomicLong::get)
                .description("door-knock tasks open or assigned past their due time").register(registry);
        return () -> {
            try {
                QueueFigures.Figures f = figures.read(clock.instant());
                overdue.set(f.overdueCases());
                due.set(f.dueAttempts());
                oldest.set(f.oldestDue().toSeconds());
                knocks.set(f.openDoorKnocks());
                knocksSoon.set(f.unassignedDoorKnocksDueSoon());
                knocksOverdue.set(f.overdueDoorKnocks());
            } catch (RuntimeException e) {
                log.warn("queue gauges not refreshed: {}", e.getMessage());
            }
        };
    }
}
