package org.screening.outreach.channels.voice.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.support.Await;

/**
 * Two server nodes on one PBX: node A places the call, the dialplan's FastAGI session lands on node B (behind a load
 * balancer), and the database fails during the conversation. Node B apologises and closes the line but has no report
 * to make (the call is not its own); node A, settling the call at its Hangup, must report it as broken off on our side
 * (FAILED {@code ivr_failed}, so the plan calls again as the callee was promised), not as a callee who hung up.
 */
class AgiOnAnotherNodeTest {
    static final String PHONE = "+8613800138000";
    static final String NATIONAL = "13800138000";

    AsteriskRig nodeA;
    AsteriskVoiceAdapter nodeB;
    FakeAsterisk pbxToNodeB;
    final KeptBrokenOff keptByNodeB = new KeptBrokenOff();
    final AtomicReference<FakeAsterisk.Session> agi = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        nodeA = AsteriskRig.start();
        int agiPortB = AsteriskRig.freePort();
        nodeB = AsteriskVoiceAdapter.start(nodeA.settings.withAgi("127.0.0.1", agiPortB, List.of("127.0.0.1")),
                nodeA.conversations, keptByNodeB, AsteriskRig.CLOCK);
        Await.until("node B's AMI login", AsteriskRig.WAIT, nodeB::amiConnected);
        pbxToNodeB = new FakeAsterisk(agiPortB).channelsOn(nodeA.ami);
    }

    @AfterEach
    void stop() throws Exception {
        nodeB.stop();
        nodeA.close();
    }

    /** The callee answers, the conversation runs on node B; {@code afterSession} runs before the Hangup event. */
    void calleeOnNodeB(Runnable afterSession, String... inputs) {
        nodeA.ami.script(NATIONAL, FakeAmiServer.Outcome.answer((id, uid) -> {
            agi.set(pbxToNodeB.call(id, uid, inputs));
            afterSession.run();
        }));
    }

    RecordingSink.Report call(long attemptId) {
        nodeA.adapter.send(nodeA.attempt(attemptId, PHONE), nodeA.sink);
        nodeA.awaitReport(attemptId);
        nodeA.drainAmiEvents(1);
        assertThat(nodeA.ami.calleeErrors()).isEmpty();
        return nodeA.sink.only(attemptId);
    }

    @Test
    void aConversationBrokenOffOnAnotherNodeIsReportedFailedWithTheAnswersStored() {
        nodeA.sessions.failAfter(61, 2); // greeting and the identity answer stored; the in-city answer is not
        calleeOnNodeB(() -> nodeA.sessions.recover(61), "1", "1", "2", "1"); // back before node A reads it

        RecordingSink.Report r = call(61);

        assertThat(agi.get().commands()).contains("STREAM FILE \"screening-call/zh-CN/apology\" \"\"");
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(r.details()).containsEntry("error", "ivr_failed").containsEntry("identity", "yes")
                .containsEntry("agi", "not_on_this_node").containsEntry("provider", "asterisk")
                .containsKey("durationSeconds").doesNotContainKeys("ivr", "in_city", OutcomeSink.PROVIDER_DOWN);
        assertThat(nodeA.adapter.channelsInUse()).isZero();
        // Kept by the node that ran the conversation, in case node A's report is lost with the database.
        assertThat(keptByNodeB.kept()).containsExactly("61 asterisk");
        assertThat(nodeA.brokenOff.kept()).isEmpty();
    }

    /**
     * A session ended by something unforeseen (a bug) breaks off like a failed step: the callee hears the apology,
     * the channel says so, and node A reports FAILED {@code ivr_failed}, not a callee who hung up with one answer.
     */
    @Test
    void aSessionEndedByAnUnforeseenErrorOnAnotherNodeIsReportedBrokenOff() {
        nodeA.sessions.breakAfter(65, 2);
        calleeOnNodeB(() -> { }, "1", "1", "2", "1");

        RecordingSink.Report r = call(65);

        assertThat(agi.get().commands()).containsSubsequence("SET VARIABLE \"OUTREACH_IVR_ERROR\" \"ivr_failed\"",
                "STREAM FILE \"screening-call/zh-CN/apology\" \"\"", "HANGUP");
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(r.details()).containsEntry("error", "ivr_failed").containsEntry("agi", "not_on_this_node")
                .containsEntry("identity", "yes").doesNotContainKey("ivr");
        assertThat(keptByNodeB.kept()).containsExactly("65 asterisk");
    }

    /** The database still down at the Hangup: node A needs none of it to report the call as broken off, at once. */
    @Test
    void whileTheDatabaseStaysDownTheBrokenOffCallIsReportedAtItsHangup() {
        nodeA.sessions.failAfter(62, 2);
        calleeOnNodeB(() -> { }, "1", "1", "2", "1");

        RecordingSink.Report r = call(62);

        assertThat(r.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(r.details()).containsEntry("error", "ivr_failed").containsEntry("agi", "not_on_this_node")
                .doesNotContainKey("ivr");
    }

    /**
     * The database down when an English case's call is answered: node B has no session and does not track the call,
     * yet the callee hears the apology in English, the language the Originate put on the channel.
     */
    @Test
    void theApologyOnAnotherNodeIsInTheCasesLanguageWithoutTheDatabase() {
        nodeA.sessions.failAfter(64, 0);
        calleeOnNodeB(() -> { }, "1");

        nodeA.adapter.send(nodeA.attempt(64, PHONE, CaseLanguage.EN), nodeA.sink);
        nodeA.awaitReport(64);

        assertThat(agi.get().commands()).contains("STREAM FILE \"screening-call/en/apology\" \"\"")
                .noneMatch(c -> c.contains("zh-CN"));
        assertThat(nodeA.sink.only(64).details()).containsEntry("error", "ivr_failed");
    }

    /** A callee who simply hangs up on node B is still a first check, reported ANSWERED by node A. */
    @Test
    void aCalleeWhoHangsUpOnAnotherNodeIsReportedAnsweredWithTheAnswers() {
        calleeOnNodeB(() -> { }, "1", "1", FakeAsterisk.HANG_UP);

        RecordingSink.Report r = call(63);

        assertThat(r.outcome()).isEqualTo(AttemptOutcome.ANSWERED);
        assertThat(r.details()).containsEntry("identity", "yes").containsEntry("in_city", "yes")
                .containsEntry("ivr", "HUNG_UP").containsEntry("agi", "not_on_this_node").doesNotContainKey("error");
        assertThat(keptByNodeB.kept()).as("a call that did not break off is not kept").isEmpty();
    }
}
