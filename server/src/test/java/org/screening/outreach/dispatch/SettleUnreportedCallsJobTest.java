package org.screening.outreach.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.ivr.CallEvent;
import org.screening.outreach.ivr.CallOutcomes;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.IvrEngine;
import org.screening.outreach.ivr.IvrScripts;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcCallSessions;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.support.SentCalls;

/** Calls whose status callback never came are settled once no call could still be running. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class SettleUnreportedCallsJobTest {
    static final Instant NINE_AM = ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();
    static int day;
    MutableClock clock;
    AttemptQueue queue;
    CaseLedger ledger;
    Cases cases;
    Conversations conversations;
    SettleUnreportedCallsJob job;
    /** Whether this node's spool holds reports not yet applied. */
    boolean reportsWaiting;

    @BeforeEach
    void setUp(TestDb db) {
        clock = new MutableClock(NINE_AM.plus(Duration.ofDays(day++)));
        queue = new JdbcAttemptQueue(db.database(), new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
        ledger = new JdbcCaseLedger(db.database());
        cases = new Cases(db.database(), clock);
        JdbcCallSessions sessions = new JdbcCallSessions(db.database(), clock);
        conversations = new Conversations(IvrScripts.loadDirectory(Path.of("..", "ivr-scripts")), "screening-call",
                "zh-CN", new IvrEngine(clock), sessions, clock, code -> java.util.Optional.empty());
        job = new SettleUnreportedCallsJob(queue, new CallOutcomes(conversations, sessions, queue::complete), clock,
                Duration.ofMinutes(15), () -> reportsWaiting);
    }

    /** A case whose first call the provider took (SENT) now. */
    OutboundAttempt sentCall() {
        return SentCalls.sentCall(queue, cases, clock);
    }

    List<String> types(String caseId) {
        return ledger.events(caseId).stream().map(LedgerEvent::type).toList();
    }

    @Test
    void aCallThatReachedTheIvrIsSettledWithItsAnswers() {
        OutboundAttempt call = sentCall();
        conversations.handle(call.attemptId(), new CallEvent.Started(), 0, Conversations.Render.NOTHING);
        conversations.handle(call.attemptId(), new CallEvent.Digits("1"), 1, Conversations.Render.NOTHING);

        clock.advance(Duration.ofMinutes(14));
        assertThat(job.runOnce()).as("a call that may still be running is left alone").isZero();
        clock.advance(Duration.ofMinutes(2));
        assertThat(job.runOnce()).isEqualTo(1);
        assertThat(job.runOnce()).as("settled once").isZero();

        LedgerEvent answered = ledger.events(call.caseId()).stream().filter(e -> e.type().equals("CALL_ANSWERED"))
                .findFirst().orElseThrow();
        assertThat(answered.data()).containsEntry("identity", "yes").containsEntry("ivr", "HUNG_UP")
                .containsEntry("settledBy", "no_outcome_reported");
        assertThat(ledger.find(call.caseId()).orElseThrow().status()).isEqualTo(CaseStatus.REACHED);
    }

    @Test
    void aCallNobodyTalkedOnIsSettledAsFailedAndTheNextCallIsPlanned() {
        OutboundAttempt call = sentCall();
        clock.advance(Duration.ofMinutes(16));
        assertThat(job.runOnce()).isEqualTo(1);
        assertThat(types(call.caseId())).contains("CALL_FAILED").doesNotContain("CALL_ANSWERED");
        assertThat(ledger.find(call.caseId()).orElseThrow().status()).isEqualTo(CaseStatus.CONTACTING);
        clock.advance(Duration.ofHours(2));
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 100, "n1", clock.instant().plusSeconds(600)))
                .as("the plan's second call").anyMatch(a -> a.caseId().equals(call.caseId()) && a.seq() == 2);
    }

    /** A report kept on this node's disk (a spooled status, a broken-off call) says more than the job's guess. */
    @Test
    void whileReportsKeptOnThisNodeWaitNothingIsSettled() {
        OutboundAttempt call = sentCall();
        clock.advance(Duration.ofMinutes(16));
        reportsWaiting = true;
        assertThat(job.runOnce()).isZero();
        reportsWaiting = false;
        assertThat(job.runOnce()).isEqualTo(1);
        assertThat(types(call.caseId())).contains("CALL_FAILED");
    }

    @Test
    void aStatusThatArrivesLaterChangesNothing() {
        OutboundAttempt call = sentCall();
        clock.advance(Duration.ofMinutes(16));
        job.runOnce();
        assertThat(queue.complete(call.attemptId(), org.screening.outreach.domain.AttemptOutcome.BUSY, Map.of(),
                clock.instant())).isFalse();
        assertThat(types(call.caseId()).stream().filter(t -> t.startsWith("CALL_"))).containsExactly("CALL_FAILED");
    }
}
