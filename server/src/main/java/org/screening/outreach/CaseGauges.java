package org.screening.outreach;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.ledger.CaseCounts;
import org.screening.outreach.ledger.CountCasesJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges {@code cases{status=…}} and {@code cases_counted_age_seconds}, refreshed just before each scrape from the
 * count {@link CountCasesJob} keeps (the same on every node: it counts the shared ledger's cases, not this process's
 * work). The scrape reads that count, it does not count. Before the first count is kept (a fresh database, the job's
 * first run is one period after start) this node counts once itself, so it never shows zeros for real cases.
 */
final class CaseGauges implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CaseGauges.class);
    private final CaseCounts counts;
    private final Clock clock;
    private final Map<CaseStatus, AtomicLong> values = new EnumMap<>(CaseStatus.class);
    /** When the figures shown were counted; null until there are any. */
    private final AtomicReference<Instant> countedAt = new AtomicReference<>();

    private CaseGauges(CaseCounts counts, Clock clock) {
        this.counts = counts;
        this.clock = clock;
    }

    static Runnable register(MeterRegistry registry, CaseCounts counts, Clock clock) {
        CaseGauges gauges = new CaseGauges(counts, clock);
        for (CaseStatus s : CaseStatus.values()) {
            AtomicLong v = new AtomicLong();
            gauges.values.put(s, v);
            Gauge.builder("cases", v, AtomicLong::get).tag("status", s.name()).register(registry);
        }
        // Read at the scrape, not at the refresh: when the refresh fails (the database away) the age still grows.
        Gauge.builder("cases_counted_age_seconds", gauges, CaseGauges::ageSeconds)
                .description("how long ago the cases gauges were counted (job count-cases, on one node for all)")
                .register(registry);
        return gauges;
    }

    @Override
    public void run() {
        try {
            Optional<CaseCounts.Counted> kept = counts.latest();
            if (kept.isEmpty() && countedAt.get() != null) return; // counted here once already; the age shows it ages
            CaseCounts.Counted shown = kept.orElseGet(this::countHere);
            shown.byStatus().forEach((s, n) -> values.get(s).set(n));
            countedAt.set(shown.at());
        } catch (RuntimeException e) {
            log.warn("cases by status not refreshed: {}", e.getMessage());
        }
    }

    private CaseCounts.Counted countHere() {
        Instant at = clock.instant();
        return new CaseCounts.Counted(counts.countNow(), at);
    }

    private double ageSeconds() {
        Instant at = countedAt.get();
        return at == null ? Double.NaN : Duration.between(at, clock.instant()).toMillis() / 1000.0;
    }
}
