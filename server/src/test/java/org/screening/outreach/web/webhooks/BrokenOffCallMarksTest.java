package org.screening.outreach.web.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.dispatch.SettleUnreportedCallsJob;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseStatus;
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
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.webhooks.spool.DurableCallbacks;
import org.screening.outreach.web.webhooks.spool.ReplaySpooledCallbacksJob;
import org.screening.outreach.web.webhooks.spool.SpoolCounters;
import org.screening.outreach.web.webhooks.spool.WebhookSpool;

/**
 * Issue 5 / 8: a call whose conversation broke off (the callee heard "we will call you back") after the callee
 * confirmed who they are, and whose FAILED report was lost with the database (the AGI node's outcome write gave
 * up). Once the database is back the call must not be settled as answered because its session holds an answer:
 * the mark kept on disk settles it FAILED {@code ivr_failed}, and the settling of unreported calls waits for it.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class BrokenOffCallMarksTest {
    static final Instant NINE_AM = ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();

    Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aBrokenOffCallWhoseReportWasLostIsSettledFailedNotAnswered(TestDb db, @TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(NINE_AM);
        JdbcAttemptQueue queue = new JdbcAttemptQueue(db.database(),
                new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
        CaseLedger ledger = new JdbcCaseLedger(db.database());
        JdbcCallSessions sessions = new JdbcCallSessions(db.database(), clock);
        Conversations conversations = new Conversations(IvrScripts.loadDirectory(Path.of("..", "ivr-scripts")),
                "screening-call", "zh-CN", new IvrEngine(clock), sessions, clock, code -> java.util.Optional.empty());
        CallOutcomes outcomes = new CallOutcomes(conversations, sessions, queue::complete);
        OutboundAttempt call = SentCalls.sentCall(queue, new Cases(db.database(), clock), clock);
        conversations.handle(call.attemptId(), new CallEvent.Started(), null, Conversations.Render.NOTHING);
        conversations.handle(call.attemptId(), new CallEvent.Digits("1"), null, Conversations.Render.NOTHING);

        // The next step failed: the AGI session kept the call as broken off; its report never reached the database.
        WebhookSpool spool = new WebhookSpool(dir);
        Blocking files = new Blocking(vertx.createSharedWorkerExecutor("marks-test", 1));
        BrokenOffCallMarks marks = new BrokenOffCallMarks(new DurableCallbacks(spool, files, files,
                SpoolCounters.none(), DurableCallbacks.PATIENCE), outcomes, clock);
        marks.keep(call.attemptId(), "asterisk").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(spool.waitingCount()).isEqualTo(1);

        // The database is back, long after the call: the settling job waits for what this node kept.
        clock.advance(Duration.ofMinutes(20));
        SettleUnreportedCallsJob settle = new SettleUnreportedCallsJob(queue, outcomes, clock, Duration.ofMinutes(15),
                spool::hasWaiting);
        assertThat(settle.runOnce()).isZero();
        ReplaySpooledCallbacksJob replay = new ReplaySpooledCallbacksJob(spool,
                Map.of(BrokenOffCallMarks.PATH, marks), () -> true, SpoolCounters.none());
        assertThat(replay.runOnce()).isEqualTo(1);
        assertThat(settle.runOnce()).as("settled by the mark").isZero();

        LedgerEvent failed = ledger.events(call.caseId()).stream().filter(e -> e.type().equals("CALL_FAILED"))
                .findFirst().orElseThrow();
        assertThat(failed.data()).containsEntry("error", "ivr_failed").containsEntry("identity", "yes")
                .containsEntry("provider", "asterisk");
        assertThat(ledger.events(call.caseId())).extracting(LedgerEvent::type).doesNotContain("CALL_ANSWERED");
        assertThat(ledger.find(call.caseId()).orElseThrow().status()).isEqualTo(CaseStatus.CONTACTING);

        // The same mark again (kept twice, or a replay cut short before its delete) changes nothing.
        marks.keep(call.attemptId(), "asterisk").toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(replay.runOnce()).isEqualTo(1);
        assertThat(ledger.events(call.caseId())).extracting(LedgerEvent::type).containsOnlyOnce("CALL_FAILED");
    }
}
