package org.screening.outreach.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/** Two dispatchers (as two server processes would) share one MariaDB: every attempt runs exactly once. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class TwoDispatchersTest {

    @Test
    void tenThousandAttemptsAreEachClaimedExactlyOnce(TestDb db) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2022-04-01T01:00:00Z"));
        ContactPlanner planner = new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults());
        Cases cases = new Cases(db.database(), clock);
        for (int i = 0; i < 10; i++) cases.pushMany("黄码", 1000, false);
        AttemptQueue setup = new JdbcAttemptQueue(db.database(), new CaseProgress(planner));
        while (setup.planNewCases(clock.instant(), 500) > 0) { }

        Set<Long> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> runs = List.of("node-a", "node-b").stream().map(owner -> nodes.submit(() -> {
                AttemptQueue queue = new JdbcAttemptQueue(db.database(), new CaseProgress(planner)); // each node its own instance
                int mine = 0;
                List<OutboundAttempt> batch;
                Instant now = clock.instant();
                while (!(batch = queue.claim(ChannelKind.VOICE, now, 50, owner, now.plus(Duration.ofMinutes(10)))).isEmpty()) {
                    for (OutboundAttempt a : batch) {
                        if (!seen.add(a.attemptId())) duplicates.incrementAndGet();
                        // Answered: no follow-up call, so the queue only drains.
                        queue.complete(a.attemptId(), AttemptOutcome.ANSWERED, Map.of(), now);
                        mine++;
                    }
                }
                return mine;
            })).toList();
            int a = runs.get(0).get();
            int b = runs.get(1).get();
            assertThat(a + b).isEqualTo(10_000);
            assertThat(a).as("both nodes took work").isPositive();
            assertThat(b).as("both nodes took work").isPositive();
        } finally {
            nodes.shutdownNow();
        }
        assertThat(duplicates.get()).isZero();
        try (Connection c = db.database().connection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*), SUM(claims = 1), SUM(status = 'DONE') FROM attempts WHERE kind = 'VOICE'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(10_000);
            assertThat(rs.getInt(2)).as("claimed once each").isEqualTo(10_000);
            assertThat(rs.getInt(3)).isEqualTo(10_000);
        }
    }
}
