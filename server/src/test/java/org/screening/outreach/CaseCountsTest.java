package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.dispatch.BackgroundJob;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.ledger.CaseCounts;
import org.screening.outreach.ledger.CountCasesJob;
import org.screening.outreach.store.JdbcCaseCounts;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MutableClock;

/**
 * The {@code cases{status}} gauges: one node counts for all (job count-cases) and keeps the count in the database;
 * every node's scrape reads that count, and tells its age.
 */
@Tag("db")
class CaseCountsTest {
    final MariaDbExtension.TestDb db = MariaDbExtension.freshSchema();
    final MutableClock clock = new MutableClock(Instant.parse("2022-04-01T02:00:00Z"));
    final Cases cases = new Cases(db.database(), clock);
    final Watched counts = new Watched(new JdbcCaseCounts(db.database()));
    final CountCasesJob job = new CountCasesJob(counts, clock);
    final MeterRegistry registry = new SimpleMeterRegistry();
    final Runnable scrape = CaseGauges.register(registry, counts, clock);

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theJobCountsCasesByStatusAndKeepsTheCountWithItsTime() {
        cases.pushMany("RED", 3, true);
        String reached = cases.push("YELLOW", true);
        move(reached, CaseStatus.REACHED);

        assertThat(job.runOnce()).isEqualTo(1);

        CaseCounts.Counted kept = counts.latest().orElseThrow();
        assertThat(kept.at()).isEqualTo(clock.instant());
        assertThat(kept.byStatus()).containsEntry(CaseStatus.NEW, 3L).containsEntry(CaseStatus.REACHED, 1L)
                .containsEntry(CaseStatus.CLOSED, 0L).hasSize(CaseStatus.values().length);
    }

    @Test
    void aScrapeShowsTheKeptCountWithoutCountingUntilTheJobCountsAgain() {
        cases.pushMany("RED", 2, true);
        job.runOnce();
        int countedByJob = counts.counted.get();
        String reached = cases.push("RED", true);
        move(reached, CaseStatus.REACHED);

        scrape.run();
        assertThat(shown(CaseStatus.NEW)).as("the job's count, not the database now").isEqualTo(2);
        assertThat(shown(CaseStatus.REACHED)).isZero();
        assertThat(counts.counted.get()).as("the scrape counted nothing").isEqualTo(countedByJob);

        job.runOnce();
        scrape.run();
        assertThat(shown(CaseStatus.NEW)).isEqualTo(2);
        assertThat(shown(CaseStatus.REACHED)).isEqualTo(1);
    }

    @Test
    void theAgeOfTheFiguresGrowsWithTheClockUntilTheNextCount() {
        job.runOnce();
        scrape.run();
        assertThat(age()).isZero();

        clock.advance(Duration.ofSeconds(40));
        assertThat(age()).isEqualTo(40);
        scrape.run();
        assertThat(age()).as("a scrape reading the same count does not make it younger").isEqualTo(40);

        job.runOnce();
        clock.advance(Duration.ofSeconds(3));
        scrape.run();
        assertThat(age()).isEqualTo(3);
    }

    @Test
    void beforeAnyCountIsKeptAScrapeCountsOnceItself() {
        cases.pushMany("RED", 2, true);

        scrape.run();
        assertThat(shown(CaseStatus.NEW)).as("real figures on a fresh server").isEqualTo(2);
        assertThat(counts.counted.get()).isEqualTo(1);
        assertThat(age()).isZero();
        assertThat(counts.latest()).as("kept only by the job").isEmpty();

        cases.push("RED", true);
        clock.advance(Duration.ofSeconds(20));
        scrape.run();
        assertThat(counts.counted.get()).as("once, not at every scrape").isEqualTo(1);
        assertThat(shown(CaseStatus.NEW)).isEqualTo(2);
        assertThat(age()).as("no node keeps counts: the figures age").isEqualTo(20);

        job.runOnce();
        scrape.run();
        assertThat(shown(CaseStatus.NEW)).isEqualTo(3);
        assertThat(age()).isZero();
    }

    @Test
    void onlyTheNodeHoldingTheJobsLeaseCounts() {
        cases.pushMany("RED", 2, true);
        Watched countsA = new Watched(new JdbcCaseCounts(db.database()));
        Watched countsB = new Watched(new JdbcCaseCounts(db.database()));
        try (TestNode a = new TestNode(db.url(), clock); TestNode b = new TestNode(db.url(), clock)) {
            a.jobs.schedule(new Quick(new CountCasesJob(countsA, clock)));
            b.jobs.schedule(new Quick(new CountCasesJob(countsB, clock)));

            Await.until("10 counts", Duration.ofSeconds(20), () -> countsA.counted.get() + countsB.counted.get() >= 10);

            assertThat(countsA.counted.get() == 0 ^ countsB.counted.get() == 0).as("one node counted: %s / %s",
                    countsA.counted.get(), countsB.counted.get()).isTrue();
            assertThat(a.holds("count-cases") + b.holds("count-cases")).isEqualTo(1.0);
            assertThat(countsA.latest().orElseThrow().byStatus()).containsEntry(CaseStatus.NEW, 2L);
        }
    }

    private void move(String caseId, CaseStatus to) {
        JdbcCaseLedger ledger = new JdbcCaseLedger(db.database());
        assertThat(ledger.apply(ledger.find(caseId).orElseThrow().moveTo(to, clock.instant(), "test", "fixture"))).isTrue();
    }

    private double shown(CaseStatus s) {
        return registry.get("cases").tag("status", s.name()).gauge().value();
    }

    private double age() {
        return registry.get("cases_counted_age_seconds").gauge().value();
    }

    /** The real store, telling how often it counted the cases table. */
    static final class Watched implements CaseCounts {
        final CaseCounts store;
        final AtomicInteger counted = new AtomicInteger();

        Watched(CaseCounts store) {
            this.store = store;
        }

        @Override
        public Map<CaseStatus, Long> countNow() {
            counted.incrementAndGet();
            return store.countNow();
        }

        @Override
        public void save(Counted c) {
            store.save(c);
        }

        @Override
        public Optional<Counted> latest() {
            return store.latest();
        }
    }

    /** The job as the runner sees it, every 20 ms instead of every 15 s; its lease still lasts (clock time). */
    record Quick(BackgroundJob job) implements BackgroundJob {
        @Override public String name() { return job.name(); }
        @Override public Duration every() { return Duration.ofMillis(20); }
        @Override public boolean singleton() { return job.singleton(); }
        @Override public Duration leaseTtl() { return Duration.ofMinutes(1); }
        @Override public int runOnce() { return job.runOnce(); }
    }
}
