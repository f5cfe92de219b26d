package org.screening.outreach.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.channels.sms.sim.SimSmsAdapter;
import org.screening.outreach.channels.voice.sim.SimVoiceAdapter;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/** The dispatcher with the simulators on a real database, time moved by the test. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class DispatcherTest {
    static final Executor NOW = Runnable::run;

    /** Outcomes the test releases when it moves its clock, like a provider reporting after the call. */
    static final class Pending {
        final List<Runnable> due = new ArrayList<>();

        void release() {
            List<Runnable> r = new ArrayList<>(due);
            due.clear();
            r.forEach(Runnable::run);
        }
    }

    @Test
    void capacityIsNeverExceededAndEveryCaseIsReachedOrEscalatedBeforeItsDeadline(TestDb db) {
        MutableClock clock = new MutableClock(ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
        ContactPlanner planner = new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults());
        AttemptQueue queue = new JdbcAttemptQueue(db.database(), new CaseProgress(planner));
        CaseLedger ledger = new JdbcCaseLedger(db.database());
        Pending pending = new Pending();
        SimVoiceAdapter sim = new SimVoiceAdapter(7, SimVoiceAdapter.Behaviour.defaults(), new Capacity(5, 2),
                (d, r) -> pending.due.add(r));
        int[] maxInFlight = {0};
        int[] inFlight = {0};
        ChannelAdapter watched = new ChannelAdapter() {
            public ChannelKind kind() { return ChannelKind.VOICE; }
            public String provider() { return "sim"; }
            public Capacity capacity() { return sim.capacity(); }
            public void send(OutboundAttempt a, OutcomeSink sink) {
                maxInFlight[0] = Math.max(maxInFlight[0], ++inFlight[0]);
                sim.send(a, (id, o, d) -> { inFlight[0]--; sink.report(id, o, d); });
            }
        };
        Dispatcher voice = new Dispatcher(watched, queue, clock, "n1", Duration.ofMinutes(5), NOW);
        Dispatcher sms = new Dispatcher(new SimSmsAdapter(7, 0.97, Duration.ofSeconds(2), new Capacity(100, 50),
                (d, r) -> pending.due.add(r)), queue, clock, "n1", Duration.ofMinutes(5), NOW);
        Cases cases = new Cases(db.database(), clock);
        List<String> ids = new ArrayList<>(cases.pushMany("红码", 40, true));
        ids.addAll(cases.pushMany("黄码", 40, true));

        Instant end = clock.instant().plus(Duration.ofHours(13));
        while (clock.instant().isBefore(end)) {
            queue.planNewCases(clock.instant(), 500);
            voice.dispatchDue();
            sms.dispatchDue();
            clock.advance(Duration.ofSeconds(30));
            pending.release();
            queue.escalateDue(clock.instant(), 500);
        }
        assertThat(maxInFlight[0]).isLessThanOrEqualTo(5);
        for (String id : ids) {
            RiskCase c = ledger.find(id).orElseThrow();
            assertThat(c.status()).as("case %s", id).isIn(CaseStatus.REACHED, CaseStatus.VERIFIED, CaseStatus.DOOR_KNOCK);
            Instant settled = ledger.events(id).stream()
                    .filter(e -> e.type().equals("STATUS_CHANGED") && List.of("REACHED", "DOOR_KNOCK").contains(e.data().get("to")))
                    .map(e -> e.at()).findFirst().orElseThrow();
            assertThat(settled).as("reached or escalated before the deadline").isBefore(c.deadlineAt());
            assertThat(ledger.events(id)).extracting(e -> e.type())
                    .as("the SMS with the self-report link went out").containsAnyOf("SMS_DELIVERED", "SMS_UNDELIVERED");
        }
        long reached = ids.stream().map(id -> ledger.find(id).orElseThrow().status())
                .filter(st -> st == CaseStatus.REACHED || st == CaseStatus.VERIFIED).count();
        assertThat(reached).as("most are reached by phone with a 60 %% answer rate and 3 tries").isGreaterThan(60);
    }

    @Test
    void anAttemptTheProviderAcceptedFreesItsSlotAndItsOutcomeComesLater(TestDb db) {
        MutableClock clock = new MutableClock(Instant.parse("2022-04-02T02:00:00Z"));
        ContactPlanner planner = new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults());
        AttemptQueue queue = new JdbcAttemptQueue(db.database(), new CaseProgress(planner));
        List<Long> accepted = new ArrayList<>();
        ChannelAdapter webhookStyle = new ChannelAdapter() {
            public ChannelKind kind() { return ChannelKind.SMS; }
            public String provider() { return "test"; }
            public Capacity capacity() { return new Capacity(1, 100); }
            public void send(OutboundAttempt a, OutcomeSink sink) {
                accepted.add(a.attemptId());
                sink.accepted(a.attemptId(), "SM" + a.attemptId());
            }
        };
        Dispatcher sms = new Dispatcher(webhookStyle, queue, clock, "n1", Duration.ofMinutes(2), NOW);
        new Cases(db.database(), clock).pushMany("黄码", 3, true);
        queue.planNewCases(clock.instant(), 100);
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            sms.dispatchDue();
        }
        assertThat(accepted).as("one slot, yet all three go: each frees it when accepted").hasSize(3);
        assertThat(sms.inFlight()).isZero();
        clock.advance(Duration.ofMinutes(10));
        assertThat(queue.reapExpiredLeases(clock.instant())).isZero();
        for (long id : accepted) {
            assertThat(queue.complete(id, AttemptOutcome.DELIVERED, Map.of(), clock.instant())).isTrue();
        }
    }

    @Test
    void sendsTheProviderFailsOrRefusesAreCountedForItsHealthMetric(TestDb db) {
        MutableClock clock = new MutableClock(Instant.parse("2022-04-03T02:00:00Z"));
        AttemptQueue queue = new JdbcAttemptQueue(db.database(),
                new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
        int[] sent = {0};
        ChannelAdapter flaky = new ChannelAdapter() {
            public ChannelKind kind() { return ChannelKind.SMS; }
            public String provider() { return "test"; }
            public Capacity capacity() { return new Capacity(10, 100); }
            public void send(OutboundAttempt a, OutcomeSink sink) {
                switch (sent[0]++ % 3) {
                    case 0 -> sink.accepted(a.attemptId(), "SM" + a.attemptId());
                    case 1 -> sink.report(a.attemptId(), AttemptOutcome.FAILED, Map.of("errorCode", 21211));
                    default -> throw new IllegalStateException("connection refused");
                }
            }
        };
        int[] failures = {0};
        Dispatcher sms = new Dispatcher(flaky, queue, clock, "n1", Duration.ofMinutes(2), NOW, a -> false,
                () -> failures[0]++);
        new Cases(db.database(), clock).pushMany("黄码", 6, true);
        queue.planNewCases(clock.instant(), 100);
        clock.advance(Duration.ofSeconds(1));
        assertThat(sms.dispatchDue()).isEqualTo(6);
        assertThat(failures[0]).as("2 reported failed + 2 refused; the 2 accepted are not failures").isEqualTo(4);
    }

    @Test
    void withTwoNodesDispatchingEachKeepsToHalfTheProvidersChannels(TestDb db) {
        MutableClock clock = new MutableClock(Instant.parse("2022-04-04T02:00:00Z"));
        AttemptQueue queue = new JdbcAttemptQueue(db.database(),
                new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
        List<Long> calling = new ArrayList<>();
        ChannelAdapter trunk = new ChannelAdapter() {
            public ChannelKind kind() { return ChannelKind.VOICE; }
            public String provider() { return "test"; }
            public Capacity capacity() { return new Capacity(10, 100); }
            public void send(OutboundAttempt a, OutcomeSink sink) { calling.add(a.attemptId()); } // calls in progress
        };
        NodeShare share = NodeShare.alone();
        share.nodes(2);
        Dispatcher voice = new Dispatcher(trunk, queue, clock, "n1", Duration.ofMinutes(5), NOW, a -> false, () -> { },
                share);
        new Cases(db.database(), clock).pushMany("红码", 12, true);
        queue.planNewCases(clock.instant(), 100);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            voice.dispatchDue();
        }
        assertThat(calling).as("10 channels between 2 nodes").hasSize(5);
        share.nodes(1); // the other node left
        clock.advance(Duration.ofSeconds(1));
        voice.dispatchDue();
        assertThat(calling).hasSize(10);
    }

    @Test
    void simulatorOutcomesRepeatForTheSameSeed() {
        SimVoiceAdapter a = new SimVoiceAdapter(42, SimVoiceAdapter.Behaviour.defaults(), new Capacity(1, 1), (d, r) -> r.run());
        SimVoiceAdapter b = new SimVoiceAdapter(42, SimVoiceAdapter.Behaviour.defaults(), new Capacity(1, 1), (d, r) -> r.run());
        List<AttemptOutcome> first = new ArrayList<>();
        List<AttemptOutcome> second = new ArrayList<>();
        for (long id = 1; id <= 200; id++) {
            first.add(a.outcomeOf(id));
            second.add(b.outcomeOf(id));
        }
        assertThat(first).isEqualTo(second);
        long answered = first.stream().filter(o -> o == AttemptOutcome.ANSWERED).count();
        assertThat(answered).isBetween(100L, 140L);
        assertThat(first).contains(AttemptOutcome.BUSY, AttemptOutcome.NO_ANSWER);
        List<AttemptOutcome> reported = new ArrayList<>();
        a.send(new OutboundAttempt(1, "c", ChannelKind.VOICE, 1, "+8613800138000", "n", null, "510104001001",
                Instant.parse("2022-04-01T02:00:00Z")),
                (id, o, d) -> reported.add(o));
        assertThat(reported).containsExactly(a.outcomeOf(1));
        assertThat(a.keypadAnswers(7)).isEqualTo(b.keypadAnswers(7)).containsKey("identity");
    }
}
