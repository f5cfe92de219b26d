package org.screening.outreach;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.ledger.CaseLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauge {@code cases{status=…}}, read from the database just before each scrape (the same on every node: it counts
 * the shared ledger's cases, not this process's work).
 */
final class CaseGauges {
    private static final Logger log = LoggerFactory.getLogger(CaseGauges.class);

    private CaseGauges() {}

    static Runnable register(MeterRegistry registry, CaseLedger ledger) {
        Map<CaseStatus, AtomicLong> values = new EnumMap<>(CaseStatus.class);
        for (CaseStatus s : CaseStatus.values()) {
            AtomicLong v = new AtomicLong();
            values.put(s, v);
            Gauge.builder("cases", v, AtomicLong::get).tag("status", s.name()).register(registry);
        }
        return () -> {
            try {
                ledger.countByStatus().forEach((s, n) -> values.get(s).set(n));
            } catch (RuntimeException e) {
                log.warn("cases by status not refreshed: {}", e.getMessage());
            }
        };
    }
}
