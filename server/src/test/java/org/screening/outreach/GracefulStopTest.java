package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.dispatch.AttemptQueue;
import org.screening.outreach.dispatch.DispatchJob;
import org.screening.outreach.dispatch.Dispatcher;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MutableClock;

/**
 * A node stopping gracefully on a shared database: sends under way settle and their outcomes are kept; what it
 * claimed and could not send goes back to the queue, and another node sends it without waiting for the lease.
 */
@Tag("db")
class GracefulStopTest {
    static final int CASES = 20;
    static final Duration WAIT = Duration.ofSeconds(20);

    /** An SMS provider that takes messages and reports on them only when the test says. */
    static final class HeldSms implements ChannelAdapter {
        final Map<Long, OutcomeSink> held = new ConcurrentHashMap<>();
        final boolean reportAtOnce;

        HeldSms(boolean reportAtOnce) {
            this.reportAtOnce = reportAtOnce;
        }

        @Override public ChannelKind kind() { return ChannelKind.SMS; }
        @Override public String provider() { return "test"; }
        @Override public Capacity capacity() { return new Capacity(100, 1000); }

        @Override
        public void send(OutboundAttempt a, OutcomeSink sink) {
            held.put(a.attemptId(), sink);
            if (reportAtOnce) sink.report(a.attemptId(), AttemptOutcome.DELIVERED, Map.of());
        }

        void deliverAll() {
            held.forEach((id, sink) -> sink.report(id, AttemptOutcome.DELIVERED, Map.of()));
        }
    }

    MariaDbExtension.TestDb db;
    MutableClock clock;
    ContactPlanner planner = new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults());
    TestNode a;
    TestNode b;

    @BeforeEach
    void plannedReminders() {
        db = MariaDbExtension.freshSchema();
        clock = new MutableClock(Instant.parse("2022-04-01T01:00:00Z")); // 09:00 in Sichuan: no quiet hours
        new Cases(db.database(), clock).pushMany("黄码", CASES, true);
        while (new JdbcAttemptQueue(db.database(), new CaseProgress(planner)).planNewCases(clock.instant(), 500) > 0) { }
        assertThat(sms("status = 'PLANNED'")).as("one reminder per case").isEqualTo(CASES);
        a = new TestNode(db.url(), clock);
        b = new TestNode(db.url(), clock);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        db.close();
    }

    /** Node {@code n} sends SMS through {@code sms}, as Dispatching wires it. */
    void dispatch(TestNode n, HeldSms sms) {
        AttemptQueue queue = new JdbcAttemptQueue(n.db, new CaseProgress(planner));
        n.jobs.schedule(new DispatchJob(new Dispatcher(sms, queue, clock, n.jobs.node(), Duration.ofMinutes(2),
                n.jobs.writes()), "dispatch-sms"));
    }

    @Test
    void whatTheStoppingNodeCouldNotSendAnotherNodeSendsAtOnce() {
        HeldSms silent = new HeldSms(false);
        dispatch(a, silent);
        Await.until("node a holds every reminder", WAIT, () -> silent.held.size() == CASES);
        assertThat(sms("status = 'CLAIMED' AND lease_owner = '" + a.jobs.node() + "'")).isEqualTo(CASES);

        a.jobs.stop(Duration.ofMillis(300)); // the provider never answers: the stop gives up waiting
        assertThat(a.jobs.returnClaims()).isEqualTo(CASES);
        assertThat(sms("status = 'PLANNED' AND lease_owner IS NULL")).isEqualTo(CASES);

        // The clock stands still: a's two-minute leases would still hold these.
        HeldSms working = new HeldSms(true);
        dispatch(b, working);
        Await.until("node b delivers every reminder", WAIT, () -> sms("status = 'DONE'") == CASES);
        assertThat(new HashSet<>(working.held.keySet())).isEqualTo(new HashSet<>(silent.held.keySet()));
        assertThat(sms("claims = 2")).as("claimed by a, then by b").isEqualTo(CASES);
    }

    @Test
    void aStopWaitsForSendsInFlightAndKeepsTheirOutcomes() throws Exception {
        HeldSms slow = new HeldSms(false);
        dispatch(a, slow);
        Await.until("node a holds every reminder", WAIT, () -> slow.held.size() == CASES);

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> a.jobs.stop(WAIT));
        assertThat(stopping).as("sends are still out").isNotDone();
        slow.deliverAll();
        stopping.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(sms("status = 'DONE' AND outcome = 'DELIVERED'")).as("written before the stop returned").isEqualTo(CASES);
        assertThat(a.jobs.returnClaims()).isZero();
    }

    private int sms(String where) {
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM attempts WHERE kind = 'SMS' AND " + where);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
