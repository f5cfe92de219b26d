package org.screening.outreach.channels.voice.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.support.Await;

/** What happens around the calls: the AMI link dropping, strangers on the AGI port, the channel limit. */
class AsteriskResilienceTest {
    static final String PHONE = "+8613800138000";
    static final String NATIONAL = "13800138000";

    @Test
    void amiDropMidOriginateLeavesThatAttemptMarkedDiallingAndTheAdapterRecovers() throws Exception {
        try (AsteriskRig rig = AsteriskRig.start()) {
            rig.ami.script(NATIONAL, FakeAmiServer.Outcome.hold());
            rig.adapter.send(rig.attempt(41, PHONE), rig.sink);
            Await.until("originate of 41 sent", AsteriskRig.WAIT, () -> rig.ami.originates(41) == 1);

            rig.ami.pause();
            Await.until("adapter sees the drop", AsteriskRig.WAIT, () -> !rig.adapter.amiConnected());
            assertThat(rig.adapter.links().get("asterisk").getAsBoolean()).as("provider_up reads the link").isFalse();

            // While the link is down a call fails at once, so the case's plan moves on.
            rig.adapter.send(rig.attempt(42, "+8613900139000"), rig.sink);
            assertThat(rig.sink.only(42).outcome()).isEqualTo(AttemptOutcome.FAILED);
            assertThat(rig.sink.only(42).details()).containsEntry("error", "ami_unavailable")
                    .containsEntry("provider", "asterisk");
            assertThat(rig.ami.originates(42)).isZero();

            rig.ami.resume();
            Await.until("Asterisk-Java logs in again", AsteriskRig.WAIT,
                    () -> rig.ami.logins() == 2 && rig.adapter.amiConnected());
            assertThat(rig.adapter.links().get("asterisk").getAsBoolean()).isTrue();

            rig.ami.script("13700137000", FakeAmiServer.Outcome.reason(OriginateReason.BUSY));
            rig.adapter.send(rig.attempt(43, "+8613700137000"), rig.sink);
            rig.awaitReport(43);
            assertThat(rig.sink.only(43).outcome()).isEqualTo(AttemptOutcome.BUSY);

            // The lost originate: never reported from here, never dialled again, even when handed over again. It
            // was marked dialling when written, so the queue settles it instead of handing it to another node.
            assertThat(rig.sink.of(41)).isEmpty();
            assertThat(rig.sink.dialling()).extracting(Map.Entry::getKey).containsExactly(41L, 43L);
            rig.adapter.send(rig.attempt(41, PHONE), rig.sink);
            assertThat(rig.sink.only(41).details()).containsEntry("error", "already_dialled");
            rig.drainAmiEvents(0);
            assertThat(rig.ami.originates(41)).isEqualTo(1);
        }
    }

    @Test
    void serverStartsWhileThePbxIsDownAndLogsInOnceItIsUp() throws Exception {
        try (AsteriskRig rig = AsteriskRig.startWithPbxDown()) {
            assertThat(rig.adapter.amiConnected()).isFalse();
            rig.adapter.send(rig.attempt(45, PHONE), rig.sink);
            assertThat(rig.sink.only(45).details()).containsEntry("error", "ami_unavailable");

            rig.ami.resume();
            Await.until("first login after retries", AsteriskRig.WAIT, rig.adapter::amiConnected);

            rig.ami.script(NATIONAL, FakeAmiServer.Outcome.reason(OriginateReason.RINGING));
            rig.adapter.send(rig.attempt(46, PHONE), rig.sink);
            rig.awaitReport(46);
            assertThat(rig.sink.only(46).outcome()).isEqualTo(AttemptOutcome.NO_ANSWER);
            assertThat(rig.ami.logins()).isEqualTo(1);
        }
    }

    @Test
    void agiConnectionFromAHostNotAllowedIsClosedWithoutRunningTheScript() throws Exception {
        try (AsteriskRig rig = AsteriskRig.start(s -> s.withAgi("127.0.0.1", s.agiPort(), List.of("192.0.2.10")))) {
            AtomicReference<FakeAsterisk.Session> agi = new AtomicReference<>();
            rig.ami.script(NATIONAL, FakeAmiServer.Outcome.answer((id, uid) -> agi.set(rig.pbx.call(id, uid, "1", "1"))));

            rig.adapter.send(rig.attempt(44, PHONE), rig.sink);
            rig.awaitReport(44);

            assertThat(agi.get().refused()).isTrue();
            assertThat(rig.sessions.session(44)).hasValueSatisfying(s -> assertThat(s.answers()).isEmpty());
            assertThat(rig.sessions.ledger("case-44")).isEmpty();
            // Answered at the PBX but no conversation: reported at the Hangup, as a call nobody talked on.
            assertThat(rig.sink.only(44).details()).containsEntry("ivr", "HUNG_UP").containsEntry("agi", "not_on_this_node");
        }
    }

    @Test
    void neverMoreCallsThanTheChannelLimit() throws Exception {
        try (AsteriskRig rig = AsteriskRig.start(s -> s.withCapacity(2, 5.0, s.ringTimeout()))) {
            assertThat(rig.adapter.capacity()).isEqualTo(new Capacity(2, 5.0));
            CountDownLatch hangUp = new CountDownLatch(1);
            rig.ami.scriptDefault(FakeAmiServer.Outcome.answer((id, uid) -> {
                if (!hangUp.await(20, TimeUnit.SECONDS)) throw new AssertionError("test never let the calls end");
            }));

            for (long id = 51; id <= 53; id++) rig.adapter.send(rig.attempt(id, "+86138001380" + id), rig.sink);

            assertThat(rig.adapter.queued()).isEqualTo(1);
            Await.until("two calls up", AsteriskRig.WAIT, () -> rig.ami.originateActions().size() == 2);
            assertThat(rig.adapter.channelsInUse()).isEqualTo(2);
            assertThat(rig.ami.originates(53)).isZero();

            hangUp.countDown();
            for (long id = 51; id <= 53; id++) rig.awaitReport(id);
            rig.drainAmiEvents(3);

            // The limit is the point: the fake PBX may run its callees one after the other, so it can see fewer.
            assertThat(rig.ami.maxLiveChannels()).isLessThanOrEqualTo(2);
            assertThat(rig.ami.originateActions()).hasSize(4); // three calls and the marker
            for (long id = 51; id <= 53; id++) assertThat(rig.sink.only(id).outcome()).isEqualTo(AttemptOutcome.ANSWERED);
            assertThat(rig.adapter.channelsInUse()).isZero();
        }
    }
}
