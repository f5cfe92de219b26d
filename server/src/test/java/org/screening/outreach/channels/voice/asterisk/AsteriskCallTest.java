package org.screening.outreach.channels.voice.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.screening.outreach.channels.voice.asterisk.FakeAsterisk.HANG_UP;
import static org.screening.outreach.channels.voice.asterisk.FakeAsterisk.SILENCE;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.ivr.Conversations;

/**
 * Calls end to end over the wire: the adapter originates on the fake AMI server, the fake Asterisk runs the
 * answered call's FastAGI session with the keys a callee presses, and the outcome comes back once.
 */
class AsteriskCallTest {
    static final String PHONE = "+8613800138000";
    static final String NATIONAL = "13800138000";
    static final String AUDIO = "screening-call/zh-CN/";

    AsteriskRig rig;
    final AtomicReference<FakeAsterisk.Session> agi = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        rig = AsteriskRig.start();
    }

    @AfterEach
    void stop() throws Exception {
        rig.close();
    }

    /** The number answers and keys {@code inputs}; the AGI transcript is kept in {@link #agi}. */
    void callee(String... inputs) {
        rig.ami.script(NATIONAL, FakeAmiServer.Outcome.answer((id, uid) -> agi.set(rig.pbx.call(id, uid, inputs))));
    }

    RecordingSink.Report call(long attemptId) {
        return call(attemptId, CaseLanguage.ZH_CN);
    }

    RecordingSink.Report call(long attemptId, CaseLanguage language) {
        rig.adapter.send(rig.attempt(attemptId, PHONE, language), rig.sink);
        rig.awaitReport(attemptId);
        rig.drainAmiEvents(1); // the call's Hangup event has been handled too: a second report would show now
        assertThat(rig.ami.calleeErrors()).isEmpty();
        return rig.sink.only(attemptId);
    }

    Map<String, Object> answers(long attemptId) {
        return rig.sink.only(attemptId).details();
    }

    @Test
    void answeredCallRunsTheWholeScriptAndReportsOnceWithTheAnswers() {
        callee("1", "1", "2", "1");

        RecordingSink.Report r = call(17);

        assertThat(r.outcome()).isEqualTo(AttemptOutcome.ANSWERED);
        assertThat(r.details()).containsEntry("identity", "yes").containsEntry("in_city", "yes")
                .containsEntry("travel_7d", "no").containsEntry("health_code", "green").containsEntry("completed", "yes")
                .containsEntry("ivr", "COMPLETED").containsEntry("provider", "asterisk").containsEntry("pbx", "pbx-test")
                .containsEntry("durationSeconds", 0L).doesNotContainKey("agi");
        assertThat(rig.sessions.ledger("case-17")).extracting(LedgerEvent::type).containsOnly(Conversations.ANSWER_EVENT);
        assertThat(rig.sessions.ledger("case-17")).extracting(e -> e.data().get("key"))
                .containsExactly("identity", "in_city", "travel_7d", "health_code", "completed");

        Map<String, String> originate = rig.ami.originateActions().get(0);
        assertThat(originate).containsEntry("channel", "PJSIP/" + NATIONAL + "@carrier")
                .containsEntry("context", "outreach-ivr").containsEntry("exten", "s").containsEntry("priority", "1")
                .containsEntry("async", "true").containsEntry("timeout", "30000");
        // The attempt for the AGI session, the case's language for an apology without the database, the call limit
        // for the dialplan's TIMEOUT(absolute).
        assertThat(originate.get("variable").split("\n"))
                .containsExactlyInAnyOrder("OUTREACH_ATTEMPT=17", "OUTREACH_LANGUAGE=zh-CN", "OUTREACH_CALL_LIMIT=600");
        assertThat(rig.sink.dialling()).as("marked dialling once, with the ActionID as the provider's reference")
                .filteredOn(d -> d.getKey() == 17L).containsExactly(Map.entry(17L, originate.get("actionid").substring(originate.get("actionid").indexOf('#') + 1)));
        // Asterisk-Java puts its own id before '#'; ours names this node, so other nodes' events are told apart.
        assertThat(originate.get("actionid")).matches("[0-9]+_[0-9]+#outreach-[0-9a-f]{8}-17");

        List<String> commands = agi.get().commands();
        // No community named: the greeting's two halves, without a name between them.
        assertThat(commands.get(0)).isEqualTo("STREAM FILE \"" + AUDIO + "greeting_intro\" \"\"");
        assertThat(commands.get(1)).isEqualTo("STREAM FILE \"" + AUDIO + "greeting_rest\" \"\"");
        assertThat(commands.get(2)).isEqualTo("GET DATA \"" + AUDIO + "ask_identity\" 8000 1");
        assertThat(agi.get().matching("GET DATA")).hasSize(4);
        assertThat(commands).contains("STREAM FILE \"" + AUDIO + "closing\" \"\"", "HANGUP");
        assertThat(rig.adapter.channelsInUse()).isZero();
    }

    /** Issue 4 item 1: the FastAGI session of an English case plays the English script's recordings. */
    @Test
    void anEnglishCaseHearsTheEnglishRecordings() {
        callee("2");

        RecordingSink.Report r = call(19, CaseLanguage.EN);

        assertThat(r.details()).containsEntry("identity", "no").containsEntry("ivr", "COMPLETED");
        List<String> commands = agi.get().commands();
        assertThat(commands.get(0)).isEqualTo("STREAM FILE \"screening-call/en/greeting_intro\" \"\"");
        assertThat(commands.get(1)).isEqualTo("STREAM FILE \"screening-call/en/greeting_rest\" \"\"");
        assertThat(commands.get(2)).isEqualTo("GET DATA \"screening-call/en/ask_identity\" 8000 1");
        assertThat(commands).contains("STREAM FILE \"screening-call/en/not_user\" \"\"")
                .noneMatch(c -> c.contains(AUDIO));
    }

    /** Issue 5 item 1: the greeting names the community, from the recording filed under its registered code. */
    @Test
    void theGreetingPlaysTheCommunitysRecordedName() {
        rig.communityNames.put("510104001", "玉林街道"); // the street is named; the call's community is not
        callee("1", "1", "2", "1");

        call(21);

        assertThat(agi.get().commands().subList(0, 4)).containsExactly(
                "STREAM FILE \"" + AUDIO + "greeting_intro\" \"\"",
                "STREAM FILE \"communities/510104001\" \"\"",
                "STREAM FILE \"" + AUDIO + "greeting_rest\" \"\"",
                "GET DATA \"" + AUDIO + "ask_identity\" 8000 1");
    }

    /** A community named in the server but never recorded on the PBX: Asterisk skips the file, the call goes on. */
    @Test
    void aCommunityWithoutARecordingIsSkippedAndTheCallGoesOn() {
        rig.communityNames.put("510104001001", "玉林社区");
        rig.pbx.lacks("\"communities/510104001001\"");
        callee("1", "1", "2", "1");

        RecordingSink.Report r = call(22);

        assertThat(r.details()).containsEntry("ivr", "COMPLETED").containsEntry("health_code", "green");
        assertThat(agi.get().commands()).contains("STREAM FILE \"communities/510104001001\" \"\"")
                .contains("GET DATA \"" + AUDIO + "ask_identity\" 8000 1");
    }

    /**
     * A question's recording missing on the PBX: GET DATA answers -1 as it does for a hang-up, but the line is up.
     * The callee is still listened to (over silence) rather than recorded as having hung up.
     */
    @Test
    void aMissingQuestionRecordingIsNotTakenForAHangUp() {
        rig.pbx.lacks("\"" + AUDIO + "ask_identity\"");
        callee("1", "1", "2", "1");

        RecordingSink.Report r = call(25);

        assertThat(r.details()).containsEntry("ivr", "COMPLETED").containsEntry("identity", "yes")
                .containsEntry("health_code", "green");
        assertThat(agi.get().calleeHungUp()).isFalse();
        assertThat(agi.get().commands()).containsSubsequence("GET DATA \"" + AUDIO + "ask_identity\" 8000 1",
                "GET DATA \"silence/1\" 8000 1", "GET DATA \"" + AUDIO + "ask_in_city\" 8000 1");
    }

    @Test
    void silenceAsksAgainThenTheAnswerCounts() {
        callee(SILENCE, "1", "1", "2", "1");

        RecordingSink.Report r = call(18);

        assertThat(r.details()).containsEntry("identity", "yes").containsEntry("ivr", "COMPLETED");
        assertThat(agi.get().commands()).contains("STREAM FILE \"" + AUDIO + "on_silence\" \"\"");
        assertThat(agi.get().matching("GET DATA \"" + AUDIO + "ask_identity\"")).hasSize(2);
    }

    @Test
    void silenceAtEveryTryEndsThePoliteWayWithoutAnswers() {
        callee(SILENCE, SILENCE, SILENCE);

        RecordingSink.Report r = call(19);

        assertThat(r.outcome()).isEqualTo(AttemptOutcome.ANSWERED);
        assertThat(r.details()).containsEntry("ivr", "COMPLETED").doesNotContainKeys("identity", "completed");
        assertThat(agi.get().matching("GET DATA \"" + AUDIO + "ask_identity\"")).hasSize(3);
        assertThat(agi.get().commands()).contains("STREAM FILE \"" + AUDIO + "no_input\" \"\"");
        assertThat(rig.sessions.ledger("case-19")).isEmpty();
    }

    @Test
    void invalidDigitsAreExplainedAndAskedAgain() {
        callee("7", "1", "2", "3");

        RecordingSink.Report r = call(20);

        assertThat(r.details()).containsEntry("identity", "yes").containsEntry("in_city", "no")
                .containsEntry("health_code", "red").containsEntry("ivr", "COMPLETED");
        assertThat(agi.get().commands()).contains("STREAM FILE \"" + AUDIO + "on_invalid\" \"\"",
                "STREAM FILE \"" + AUDIO + "closing_follow_up\" \"\"");
    }

    @Test
    void hangingUpMidScriptKeepsTheAnswersGiven() {
        callee("1", "1", HANG_UP);

        RecordingSink.Report r = call(21);

        assertThat(r.outcome()).isEqualTo(AttemptOutcome.ANSWERED);
        assertThat(r.details()).containsEntry("identity", "yes").containsEntry("in_city", "yes")
                .containsEntry("ivr", "HUNG_UP").doesNotContainKeys("travel_7d", "health_code", "completed");
        assertThat(rig.sessions.ledger("case-21")).hasSize(2);
        assertThat(agi.get().calleeHungUp()).isTrue();
        assertThat(rig.sessions.session(21)).hasValueSatisfying(s -> assertThat(s.ended()).isTrue());
    }

    @Test
    void notMyNumberEndsAtOnce() {
        callee("2");

        RecordingSink.Report r = call(22);

        assertThat(r.details()).containsEntry("identity", "no").containsEntry("ivr", "COMPLETED")
                .doesNotContainKey("in_city");
        assertThat(agi.get().commands()).contains("STREAM FILE \"" + AUDIO + "not_user\" \"\"", "HANGUP");
    }

    /**
     * The database fails after the first answer was stored: the callee hears the apology (not silence), the attempt is
     * FAILED for the retry plan (not a reached person), and the answer already stored stays, in the ledger and in
     * the outcome.
     */
    @Test
    void aDatabaseFailureMidCallApologisesAndLeavesTheCallToBeTriedAgain() {
        rig.sessions.failAfter(26, 2); // greeting and the identity answer stored; the in-city answer is not
        callee("1", "1", "2", "1");

        RecordingSink.Report r = call(26);

        assertThat(r.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(r.details()).containsEntry("error", "ivr_failed").containsEntry("identity", "yes")
                .containsEntry("provider", "asterisk").containsEntry("pbx", "pbx-test").containsKey("durationSeconds")
                .doesNotContainKeys("in_city", "ivr", org.screening.outreach.channels.OutcomeSink.PROVIDER_DOWN);
        assertThat(rig.sessions.ledger("case-26")).extracting(e -> e.data().get("key")).containsExactly("identity");
        List<String> commands = agi.get().commands();
        assertThat(commands).containsSubsequence("GET DATA \"" + AUDIO + "ask_in_city\" 8000 1",
                "STREAM FILE \"" + AUDIO + "apology\" \"\"", "HANGUP");
        assertThat(commands).noneMatch(c -> c.contains("ask_travel"));
        assertThat(agi.get().calleeHungUp()).isFalse();
        assertThat(rig.adapter.channelsInUse()).isZero();
        assertThat(rig.brokenOff.kept()).as("kept for when the report is lost").containsExactly("26 asterisk");
    }

    /** The database down from the start: the case's language is still known, so an English case hears English. */
    @Test
    void aDatabaseDownWhenTheCallIsAnsweredApologisesInTheCasesLanguage() {
        rig.sessions.failAfter(27, 0);
        callee("1");

        RecordingSink.Report r = call(27, CaseLanguage.EN);

        assertThat(r.outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(r.details()).containsEntry("error", "ivr_failed").doesNotContainKey("identity");
        assertThat(agi.get().commands()).startsWith("SET VARIABLE \"OUTREACH_IVR_ERROR\" \"ivr_failed\"",
                "STREAM FILE \"screening-call/en/apology\" \"\"", "HANGUP");
    }

    /**
     * The callee hangs up after two answers and the database fails as the session is closed: the call was a first
     * check all the same, reported ANSWERED with both answers.
     */
    @Test
    void closingTheSessionOfACalleeWhoLeftMayFailWithoutLosingTheAnswers() {
        rig.sessions.failAfter(28, 3);
        callee("1", "1", HANG_UP);

        RecordingSink.Report r = call(28);

        assertThat(r.outcome()).isEqualTo(AttemptOutcome.ANSWERED);
        assertThat(r.details()).containsEntry("identity", "yes").containsEntry("in_city", "yes")
                .containsEntry("ivr", "HUNG_UP");
        assertThat(agi.get().commands()).noneMatch(c -> c.contains("apology"));
    }

    @ParameterizedTest(name = "reason {0} → {1}")
    @CsvSource({"3, NO_ANSWER", "5, BUSY", "8, FAILED", "0, FAILED", "1, NO_ANSWER"})
    void unansweredCallsReportTheReason(int reason, AttemptOutcome expected) {
        rig.ami.script(NATIONAL, FakeAmiServer.Outcome.reason(reason));

        rig.adapter.send(rig.attempt(30, PHONE), rig.sink);
        rig.awaitReport(30);
        rig.drainAmiEvents(0);

        RecordingSink.Report r = rig.sink.only(30);
        assertThat(r.outcome()).isEqualTo(expected);
        assertThat(r.details()).containsEntry("provider", "asterisk").containsEntry("reason", reason)
                .doesNotContainKey("ivr");
        assertThat(rig.adapter.channelsInUse()).isZero();
    }

    @Test
    void answeredCallWhoseAgiNeverConnectedIsReportedAtHangup() {
        rig.ami.script(NATIONAL, FakeAmiServer.Outcome.answer(null));

        RecordingSink.Report r = call(23);

        assertThat(r.outcome()).isEqualTo(AttemptOutcome.ANSWERED);
        assertThat(r.details()).containsEntry("ivr", "HUNG_UP").containsEntry("agi", "not_on_this_node")
                .doesNotContainKey("identity");
    }

    /**
     * The database cannot be read when a call without an AGI session here hangs up: it is not reported as answered
     * without its answers, but read again, and reported once the database answers.
     */
    @Test
    void aHangupWhileTheDatabaseIsDownIsReportedOnceItCanBeRead() {
        rig.sessions.failAfter(29, 0);
        rig.ami.script(NATIONAL, FakeAmiServer.Outcome.answer(null));
        rig.adapter.send(rig.attempt(29, PHONE), rig.sink);
        rig.drainAmiEvents(1);
        assertThat(rig.sink.of(29)).isEmpty();
        assertThat(rig.adapter.channelsInUse()).as("the call is over: its channel is free").isZero();

        rig.sessions.recover(29);
        rig.awaitReport(29);
        assertThat(rig.sink.only(29).outcome()).isEqualTo(AttemptOutcome.ANSWERED);
        assertThat(rig.sink.only(29).details()).containsEntry("agi", "not_on_this_node");
    }

    @Test
    void numbersAreDialledAsConfigured() throws Exception {
        rig.close();
        rig = AsteriskRig.start(s -> s.withDialling("PJSIP/{number}@trunk-b", "+", "00", "\"社区排查\" <02812345678>"));
        rig.ami.scriptDefault(FakeAmiServer.Outcome.reason(OriginateReason.BUSY));

        rig.adapter.send(rig.attempt(24, PHONE), rig.sink);
        rig.awaitReport(24);

        assertThat(rig.ami.originateActions().get(0)).containsEntry("channel", "PJSIP/008613800138000@trunk-b")
                .containsEntry("callerid", "\"社区排查\" <02812345678>");
    }
}
