package org.screening.outreach.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.FollowUp;

class IvrEngineTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    // 2022-04-20 01:00 in Shanghai is still 2022-04-19 in UTC: "today" must be the deployment's date.
    final IvrEngine engine = new IvrEngine(Clock.fixed(Instant.parse("2022-04-19T17:00:00Z"), SHANGHAI));
    final IvrScript script = ScriptLoader.load(ScriptLoaderTest.SCRIPTS.resolve("screening-call.zh-CN.yaml"));
    final CallContext context = new CallContext("玉林社区", "欧阳娜娜");

    Turn play(String... inputs) {
        IvrSession s = IvrSession.start(script);
        Turn t = engine.handle(script, s, CallEvent.started(), context);
        for (String in : inputs) t = engine.handle(script, t.session(), CallEvent.keys(in), context);
        return t;
    }

    @Test
    void nameIsMaskedToItsFirstCharacter() {
        IvrScript s = ScriptLoader.parse(ScriptLoaderTest.VALID.replace("您好，${community}", "${name}您好，${community}"), "t.yaml");
        Turn t = engine.handle(s, IvrSession.start(s), CallEvent.started(), context);
        Instruction.Speak hello = (Instruction.Speak) t.instructions().get(0);
        assertThat(hello.text()).isEqualTo("欧您好，玉林社区");
        assertThat(hello.audio()).isEqualTo("hello");
        assertThat(IvrSessionJson.write(t.session())).doesNotContain("欧阳").doesNotContain("玉林");
    }

    /** The community's recording is filed under its registered code; without a registered name it is left out. */
    @Test
    void theCommunityRecordingFollowsTheRegisteredCode() {
        IvrScript s = ScriptLoader.parse(ScriptLoaderTest.VALID.replace("audio: hello",
                "audio: \"hello&communities/${community_code}&team\""), "t.yaml");
        Turn named = engine.handle(s, IvrSession.start(s), CallEvent.started(),
                new CallContext("玉林街道", "欧阳娜娜", "510104001"));
        assertThat(((Instruction.Speak) named.instructions().get(0)).audio())
                .isEqualTo("hello&communities/510104001&team");
        Turn unnamed = engine.handle(s, IvrSession.start(s), CallEvent.started(), new CallContext("社区", "欧阳娜娜"));
        assertThat(((Instruction.Speak) unnamed.instructions().get(0)).audio()).isEqualTo("hello&team");
    }

    @Test
    void daysAgoCountsFromTheLocalDate() {
        Turn t = play("1", "1", "1", "0");
        assertThat(t.recorded()).containsExactly(new RecordedAnswer("arrival_date", "2022-04-20", "ask_arrival", "0"));
        assertThat(AnswerReader.arrivalDate("20220229", LocalDate.of(2022, 4, 20))).isEmpty();
        assertThat(AnswerReader.arrivalDate("123", LocalDate.of(2022, 4, 20))).isEmpty();
        assertThat(AnswerReader.arrivalDate("20210101", LocalDate.of(2022, 4, 20))).isEmpty();
    }

    @Test
    void sessionIsSmallJsonAndRoundTrips() {
        Turn t = play("1", "1");
        String json = IvrSessionJson.write(t.session());
        assertThat(json).isEqualTo("{\"script\":\"screening-call\",\"version\":1,\"status\":\"WAITING\","
                + "\"waitingAt\":\"ask_travel\",\"tries\":0,\"turns\":3,\"answers\":{\"identity\":\"yes\",\"in_city\":\"yes\"},"
                + "\"language\":\"zh-CN\"}");
        assertThat(IvrSessionJson.read(json)).isEqualTo(t.session());
        assertThat(IvrSessionJson.read(json.replace("},", "},\"added\":1,"))).isEqualTo(t.session());
        // A session stored before sessions named their language: read, with none (the configured one runs).
        assertThat(IvrSessionJson.read(json.replace(",\"language\":\"zh-CN\"", "")).language()).isNull();
    }

    @Test
    void startedAgainRepeatsTheQuestionWithoutRecording() {
        Turn first = play("1");
        Turn again = engine.handle(script, first.session(), CallEvent.started(), context);
        assertThat(again.recorded()).isEmpty();
        assertThat(again.session().waitingAt()).isEqualTo("ask_in_city");
        assertThat(again.instructions()).hasSize(1).first().isInstanceOf(Instruction.Gather.class);
    }

    @Test
    void aCallThatKeepsWaitingIsEndedAtTheTurnLimit() {
        IvrScript s = ScriptLoader.parse("""
                script: t
                version: 1
                language: en
                start: ask
                max_turns: 3
                steps:
                  - id: ask
                    gather:
                      key: q
                      prompt: "Press 1 to hear it again, 2 to finish"
                      timeout: 5
                      retries: 1
                      answers:
                        "1": { value: "again", next: ask }
                        "2": { value: "done", next: bye }
                      exhausted: bye
                  - id: bye
                    hangup: {}
                """, "t.yaml");
        Turn t = engine.handle(s, IvrSession.start(s), CallEvent.started(), context);
        t = engine.handle(s, t.session(), CallEvent.keys("1"), context);
        t = engine.handle(s, t.session(), CallEvent.keys("1"), context);
        assertThat(t.ended()).isFalse();
        t = engine.handle(s, t.session(), CallEvent.keys("1"), context);
        assertThat(t.session().status()).isEqualTo(IvrSession.Status.ABANDONED);
        assertThat(t.instructions()).containsExactly(new Instruction.Hangup());
        assertThat(t.session().answers()).containsEntry("q", "again");
    }

    @Test
    void aCallWaitingAtAStepTheNewScriptLacksEndsPolitely() {
        IvrSession stale = new IvrSession("screening-call", 0, IvrSession.Status.WAITING, "ask_vaccine", 0, 2,
                Map.of("identity", "yes"), "zh-CN");
        Turn t = engine.handle(script, stale, CallEvent.keys("1"), context);
        assertThat(t.session().status()).isEqualTo(IvrSession.Status.ABANDONED);
        assertThat(t.recorded()).isEmpty();
        assertThat(t.session().answers()).containsEntry("identity", "yes");
    }

    @Test
    void emptyDigitsAreSilence() {
        assertThat(CallEvent.keys("")).isInstanceOf(CallEvent.Silence.class);
        assertThat(CallEvent.keys(null)).isInstanceOf(CallEvent.Silence.class);
    }

    @Test
    void hangupIsIdempotent() {
        Turn t = engine.handle(script, play("1").session(), CallEvent.hungUp(), context);
        Turn again = engine.handle(script, t.session(), CallEvent.hungUp(), context);
        assertThat(again.session()).isEqualTo(t.session());
        assertThat(again.instructions()).isEmpty();
        assertThat(IvrResult.of(again.session()).followUps()).containsExactlyInAnyOrder(FollowUp.MARK_REACHED, FollowUp.FLAG_COMMUNITY);
        assertThat(List.copyOf(again.session().answers().keySet())).containsExactly("identity");
    }
}
