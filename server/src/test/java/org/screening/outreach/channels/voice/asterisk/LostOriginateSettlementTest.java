package org.screening.outreach.channels.voice.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.dispatch.Dispatcher;
import org.screening.outreach.dispatch.ReapLeasesJob;
import org.screening.outreach.dispatch.SettleUnreportedCallsJob;
import org.screening.outreach.ivr.CallOutcomes;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.IvrEngine;
import org.screening.outreach.ivr.IvrScripts;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcCallSessions;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * Issue 5 item 3: a call ringing when the AMI link dropped has lost its outcome. Its lease running out must not hand
 * it to another node to dial again; once no call could still be running it is settled, and the case's plan goes on.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class LostOriginateSettlementTest {
    static final Instant TEN_AM = ZonedDateTime.of(2022, 5, 3, 10, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();
    static final Duration CALL_LEASE = Duration.ofMinutes(10);

    @Test
    void aCallLostWithTheAmiLinkIsSettledNotDialledAgain(TestDb db) throws Exception {
        MutableClock clock = new MutableClock(TEN_AM);
        JdbcAttemptQueue queue = new JdbcAttemptQueue(db.database(),
                new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
        CaseLedger ledger = new JdbcCaseLedger(db.database());
        JdbcCallSessions sessions = new JdbcCallSessions(db.database(), clock);
        Conversations conversations = new Conversations(IvrScripts.loadDirectory(Path.of("..", "ivr-scripts")),
                "screening-call", "zh-CN", new IvrEngine(clock), sessions, clock, code -> java.util.Optional.empty());
        String caseId = new Cases(db.database(), clock).push("黄码", true);
        queue.planNewCases(clock.instant(), 100);

        try (AsteriskRig rig = AsteriskRig.start()) {
            rig.ami.scriptDefault(FakeAmiServer.Outcome.hold()); // rings, no OriginateResponse yet
            Dispatcher calls = new Dispatcher(rig.adapter, queue, clock, "node-a", CALL_LEASE, Runnable::run);
            assertThat(calls.dispatchDue()).isEqualTo(1);
            Await.until("the Originate written and the attempt marked dialling", AsteriskRig.WAIT,
                    () -> rig.ami.originateCount() == 1
                            && queue.callsSentBefore(clock.instant().plusSeconds(1), 10).size() == 1);
            assertThat(calls.inFlight()).as("the channel stays counted until the call is reported").isEqualTo(1);
            rig.ami.pause();
            Await.until("the adapter sees the drop", AsteriskRig.WAIT, () -> !rig.adapter.amiConnected());

            // Past the lease: nothing goes back to the queue, so no node (this one or another) dials it again.
            clock.advance(CALL_LEASE.plusMinutes(1));
            assertThat(new ReapLeasesJob(queue, clock).runOnce()).isZero();
            assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 100, "node-b", clock.instant().plus(CALL_LEASE)))
                    .noneMatch(a -> a.caseId().equals(caseId));

            // Ringing + the call limit + margin (30 s + 10 min + 30 s = 11 min): no call can still be running.
            SettleUnreportedCallsJob settle = new SettleUnreportedCallsJob(queue,
                    new CallOutcomes(conversations, sessions, queue::complete), clock, Duration.ofSeconds(660),
                    () -> false);
            assertThat(settle.runOnce()).as("11 minutes after dialling it might just be running").isZero();
            clock.advance(Duration.ofMinutes(1));
            assertThat(settle.runOnce()).isEqualTo(1);
            LedgerEvent failed = ledger.events(caseId).stream().filter(e -> e.type().equals("CALL_FAILED"))
                    .findFirst().orElseThrow();
            assertThat(failed.data()).containsEntry("settledBy", "no_outcome_reported");
            assertThat(ledger.find(caseId).orElseThrow().status()).isEqualTo(CaseStatus.CONTACTING);
            assertThat(rig.ami.originateCount()).as("dialled once").isEqualTo(1);

            // The retry plan's next call is a new attempt, in its own time.
            clock.advance(Duration.ofHours(2));
            assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 100, "node-b", clock.instant().plus(CALL_LEASE)))
                    .anyMatch(a -> a.caseId().equals(caseId) && a.seq() == 2);
        }
    }
}
