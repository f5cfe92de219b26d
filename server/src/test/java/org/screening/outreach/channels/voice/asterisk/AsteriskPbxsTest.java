package org.screening.outreach.channels.voice.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.IvrEngine;
import org.screening.outreach.ivr.IvrScripts;
import org.screening.outreach.support.Await;

/**
 * Two PBXs behind one voice channel, each a fake AMI server speaking the wire format, one FastAGI port for both:
 * calls spread by spare channels, a PBX that is down is passed over, answers come back through the shared port.
 */
class AsteriskPbxsTest {
    FakeAmiServer amiA;
    FakeAmiServer amiB;
    FakeAsterisk agiClient;
    InMemoryCallSessions sessions = new InMemoryCallSessions();
    RecordingSink sink = new RecordingSink();
    AsteriskPbxs pbxs;

    @BeforeEach
    void start() throws Exception {
        amiA = new FakeAmiServer(AsteriskRig.USER, AsteriskRig.SECRET);
        amiB = new FakeAmiServer(AsteriskRig.USER, AsteriskRig.SECRET);
        int agiPort = AsteriskRig.freePort();
        agiClient = new FakeAsterisk(agiPort);
        Conversations conversations = new Conversations(IvrScripts.loadDirectory(AsteriskRig.SCRIPTS), "screening-call",
                "zh-CN", new IvrEngine(AsteriskRig.CLOCK), sessions, AsteriskRig.CLOCK, code -> java.util.Optional.empty());
        pbxs = AsteriskPbxs.start(List.of(pbx("pbx-a", amiA.port(), agiPort), pbx("pbx-b", amiB.port(), agiPort)),
                conversations, new KeptBrokenOff(), AsteriskRig.CLOCK);
        Await.until("both PBXs logged in", AsteriskRig.WAIT,
                () -> pbxs.links().values().stream().allMatch(java.util.function.BooleanSupplier::getAsBoolean));
    }

    static AsteriskSettings pbx(String name, int amiPort, int agiPort) {
        return AsteriskSettings.defaults("127.0.0.1", AsteriskRig.USER, AsteriskRig.SECRET).withPbxName(name)
                .withAmiPort(amiPort).withCapacity(2, 5, Duration.ofSeconds(30))
                .withAgi("127.0.0.1", agiPort, List.of("127.0.0.1"))
                .withTimers(Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        pbxs.stop();
        amiA.close();
        amiB.close();
    }

    OutboundAttempt attempt(long id, String national) {
        sessions.add(id, "case-" + id, "张三");
        return new OutboundAttempt(id, "case-" + id, ChannelKind.VOICE, 1, "+86" + national, "张三", Category.RED,
                "510104001001", AsteriskRig.CLOCK.instant().plusSeconds(7200));
    }

    @Test
    void theChannelIsBothPbxsAndCallsGoWhereChannelsAreSpare() {
        assertThat(pbxs.capacity().maxConcurrent()).isEqualTo(4);
        assertThat(pbxs.capacity().perSecond()).isEqualTo(10);
        assertThat(pbxs.links()).containsOnlyKeys("asterisk:pbx-a", "asterisk:pbx-b");
        amiA.scriptDefault(FakeAmiServer.Outcome.hold());
        amiB.scriptDefault(FakeAmiServer.Outcome.hold());
        for (long id = 1; id <= 4; id++) pbxs.send(attempt(id, "1380013800" + id), sink);
        Await.until("four originates", AsteriskRig.WAIT, () -> originates(amiA, 1, 4) + originates(amiB, 1, 4) == 4);
        assertThat(originates(amiA, 1, 4)).as("two calls on each PBX's two channels").isEqualTo(2);
        assertThat(originates(amiB, 1, 4)).isEqualTo(2);
        assertThat(pbxs.channelsInUse()).isEqualTo(4);
    }

    @Test
    void aPbxThatIsDownIsPassedOverAndOnlyAllDownFailsTheCall() throws Exception {
        amiA.pause();
        Await.until("pbx-a seen down", AsteriskRig.WAIT, () -> !pbxs.links().get("asterisk:pbx-a").getAsBoolean());
        // The dispatcher is told the channel narrowed to pbx-b's, so it sends no more than pbx-b can place.
        assertThat(pbxs.capacity()).isEqualTo(new org.screening.outreach.channels.Capacity(2, 5));
        amiB.scriptDefault(FakeAmiServer.Outcome.reason(OriginateReason.BUSY));
        for (long id = 11; id <= 13; id++) pbxs.send(attempt(id, "1390013900" + (id - 10)), sink);
        for (long id = 11; id <= 13; id++) {
            long attemptId = id;
            Await.until("outcome of " + id, AsteriskRig.WAIT, () -> !sink.of(attemptId).isEmpty());
            assertThat(sink.only(id).outcome()).isEqualTo(AttemptOutcome.BUSY);
            assertThat(sink.only(id).details()).containsEntry("pbx", "pbx-b");
        }
        assertThat(originates(amiA, 11, 13)).isZero();

        amiB.pause();
        Await.until("pbx-b seen down", AsteriskRig.WAIT, () -> !pbxs.links().get("asterisk:pbx-b").getAsBoolean());
        pbxs.send(attempt(14, "13700137000"), sink);
        assertThat(sink.only(14).outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(sink.only(14).details()).containsEntry("error", "ami_unavailable");
        assertThat(pbxs.capacity().maxConcurrent()).as("all down: the whole, for the calls to fail fast").isEqualTo(4);

        amiA.resume();
        Await.until("pbx-a back", AsteriskRig.WAIT, () -> pbxs.links().get("asterisk:pbx-a").getAsBoolean());
        assertThat(pbxs.capacity()).isEqualTo(new org.screening.outreach.channels.Capacity(2, 5));
    }

    @Test
    void anAnsweredCallOnEitherPbxRunsTheScriptThroughTheSharedAgiPort() {
        FakeAmiServer.Outcome answers = FakeAmiServer.Outcome.answer((id, uid) -> agiClient.call(id, uid, "1", "1", "2", "1"));
        amiA.scriptDefault(answers);
        amiB.scriptDefault(answers);
        pbxs.send(attempt(21, "13600136001"), sink);
        pbxs.send(attempt(22, "13600136002"), sink);
        for (long id : new long[] {21, 22}) {
            Await.until("answer of " + id, AsteriskRig.WAIT, () -> !sink.of(id).isEmpty());
            Map<String, Object> d = sink.only(id).details();
            assertThat(sink.only(id).outcome()).isEqualTo(AttemptOutcome.ANSWERED);
            assertThat(d).containsEntry("identity", "yes").containsEntry("in_city", "yes");
        }
        assertThat(List.of(sink.only(21).details().get("pbx"), sink.only(22).details().get("pbx")))
                .as("taking turns between two idle PBXs").containsExactlyInAnyOrder("pbx-a", "pbx-b");
    }

    /**
     * An attempt handed over again (its dialling mark lost with the database, its lease run out) goes to the PBX that
     * dialled it, which refuses it at once, even with its link down: another PBX, or a failover provider taking an
     * {@code ami_unavailable}, would ring the callee a second time.
     */
    @Test
    void anAttemptHandedOverAgainIsNeverDialledOnAnotherPbx() {
        amiA.scriptDefault(FakeAmiServer.Outcome.reason(OriginateReason.RINGING));
        OutboundAttempt a = attempt(31, "13500135001");
        pbxs.send(a, sink); // both idle: pbx-a's turn
        Await.until("its outcome", AsteriskRig.WAIT, () -> !sink.of(31).isEmpty());
        assertThat(sink.only(31).details()).containsEntry("pbx", "pbx-a");
        amiA.pause();
        Await.until("pbx-a seen down", AsteriskRig.WAIT, () -> !pbxs.links().get("asterisk:pbx-a").getAsBoolean());

        pbxs.send(a, sink);

        assertThat(sink.of(31)).hasSize(2);
        assertThat(sink.of(31).get(1).outcome()).isEqualTo(AttemptOutcome.FAILED);
        assertThat(sink.of(31).get(1).details()).containsEntry("error", "already_dialled").containsEntry("pbx", "pbx-a")
                .doesNotContainKey(org.screening.outreach.channels.OutcomeSink.PROVIDER_DOWN);
        assertThat(amiB.originates(31)).isZero();
    }

    static int originates(FakeAmiServer ami, long from, long to) {
        int n = 0;
        for (long id = from; id <= to; id++) n += ami.originates(id);
        return n;
    }
}
