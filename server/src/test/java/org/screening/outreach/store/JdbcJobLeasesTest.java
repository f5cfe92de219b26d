package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.dispatch.JobLeases;
import org.screening.outreach.dispatch.JobLeases.Lease;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** The lease row's rules on a real MariaDB: one holder at a time, renewals, take-over after a lapse, release. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class JdbcJobLeasesTest {
    static final Instant T0 = Instant.parse("2022-04-01T01:00:00Z");
    static final Duration TTL = Duration.ofSeconds(60);

    @Test
    void theFirstNodeTakesAFreeLeaseAndTheOtherIsToldWhoHoldsIt(TestDb db) {
        JobLeases leases = new JdbcJobLeases(db.database());
        Lease a = leases.acquire("free", "node-a", T0, T0.plus(TTL));
        assertThat(a).isEqualTo(new Lease("free", "node-a", T0, T0.plus(TTL)));

        Lease b = leases.acquire("free", "node-b", T0.plusSeconds(1), T0.plusSeconds(1).plus(TTL));
        assertThat(b.heldBy("node-a")).isTrue();
        assertThat(b.heldUntil()).as("the holder's lease is left alone").isEqualTo(T0.plus(TTL));
    }

    @Test
    void theHolderRenewsItsLeaseAndKeepsItsSince(TestDb db) {
        JobLeases leases = new JdbcJobLeases(db.database());
        leases.acquire("renew", "node-a", T0, T0.plus(TTL));
        Instant later = T0.plusSeconds(45);
        Lease renewed = leases.acquire("renew", "node-a", later, later.plus(TTL));
        assertThat(renewed).isEqualTo(new Lease("renew", "node-a", T0, later.plus(TTL)));

        // Renewed past the first lease's end: another node still may not take it.
        Instant afterFirstEnd = T0.plus(TTL).plusSeconds(1);
        assertThat(leases.acquire("renew", "node-b", afterFirstEnd, afterFirstEnd.plus(TTL)).heldBy("node-a")).isTrue();
    }

    @Test
    void aLapsedLeaseIsTakenOverAtItsEndNotBefore(TestDb db) {
        JobLeases leases = new JdbcJobLeases(db.database());
        leases.acquire("lapse", "node-a", T0, T0.plus(TTL));
        Instant justBefore = T0.plus(TTL).minusMillis(1);
        assertThat(leases.acquire("lapse", "node-b", justBefore, justBefore.plus(TTL)).heldBy("node-a")).isTrue();

        Instant end = T0.plus(TTL);
        Lease taken = leases.acquire("lapse", "node-b", end, end.plus(TTL));
        assertThat(taken).isEqualTo(new Lease("lapse", "node-b", end, end.plus(TTL)));
        // The old holder, back from its pause, finds it gone.
        assertThat(leases.acquire("lapse", "node-a", end.plusSeconds(1), end.plusSeconds(1).plus(TTL)).heldBy("node-b"))
                .isTrue();
    }

    @Test
    void aReleasedLeaseIsTakenAtOnceAndOnlyTheReleasingNodesGo(TestDb db) {
        JobLeases leases = new JdbcJobLeases(db.database());
        leases.acquire("r1", "node-a", T0, T0.plus(TTL));
        leases.acquire("r2", "node-a", T0, T0.plus(TTL));
        leases.acquire("r3", "node-c", T0, T0.plus(TTL));

        assertThat(leases.releaseAll("node-a")).isEqualTo(2);

        Instant soon = T0.plusSeconds(1);
        assertThat(leases.acquire("r1", "node-b", soon, soon.plus(TTL)).heldBy("node-b")).isTrue();
        assertThat(leases.acquire("r3", "node-b", soon, soon.plus(TTL)).heldBy("node-c")).isTrue();
    }

    /** Nodes started together ask for the same new lease rows at the same moment: one wins, every one is told which. */
    @Test
    void nodesAskingForANewLeaseAtTheSameMomentAllLearnItsOneHolder(TestDb db) throws Exception {
        JobLeases leases = new JdbcJobLeases(db.database());
        java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 20; round++) {
                String job = "together-" + round;
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(3);
                java.util.List<java.util.concurrent.Future<Lease>> asked = new java.util.ArrayList<>();
                for (String node : java.util.List.of("node-a", "node-b", "node-c")) {
                    asked.add(nodes.submit(() -> {
                        start.await();
                        return leases.acquire(job, node, T0, T0.plus(TTL));
                    }));
                }
                java.util.Set<String> holders = new java.util.HashSet<>();
                for (java.util.concurrent.Future<Lease> f : asked) holders.add(f.get(60, java.util.concurrent.TimeUnit.SECONDS).holder());
                assertThat(holders).as("round %d: one holder, told to all", round).hasSize(1);
            }
        } finally {
            nodes.shutdownNow();
        }
    }
}
