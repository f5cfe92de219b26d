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

    /** ASTERISK_AMI_HOST=[::1]:port: the AMI link reaches a PBX listening on IPv6 only, and calls go through it. */
    @Test
    void aPbxAtAnIpv6AddressIsReachedByTheAddressAsWritten() throws Exception {
        java.net.InetAddress v6 = java.net.InetAddress.getByName("::1");
        try (AsteriskRig rig = AsteriskRig.startWithAmiOn(v6, (s, port) -> {
            AmiHosts.Entry pbx = AmiHosts.parse("[::1]:" + port, 5038).get(0);
            return AsteriskSettings.defaults(pbx.host(), s.amiUser(), s.amiSecret()).withPbxName(pbx.name())
                    .withAmiPort(pbx.port()).withAgi(s.agiBindAddress(), s.agiPort(), s.allowedPbxHosts())
                    .withTimers(s.reconnectInterval(), s.pingInterval());
        })) {
            assertThat(rig.settings.amiHost()).isEqualTo("::1");
            assertThat(rig.adapter.links()).containsKey("asterisk");
            rig.ami.script(NATIONAL, FakeAmiServer.Outcome.reason(OriginateReason.BUSY));
            rig.adapter.send(rig.attempt(47, PHONE), rig.sink);
            rig.awaitReport(47);
            assertThat(rig.sink.only(47).outcome()).isEqualTo(AttemptOutcome.BUSY);
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

    /**
     * A call that finds every channel taken waits a bounded time, and never past its case's deadline: then it fails
     * undialled as no_free_channel, so the case's plan goes on instead of the call ringing late.
     */
    @Test
    void aCallWaitingForAChannelGivesUpInTimeAndIsNeverDialled() throws Exception {
        try (AsteriskRig rig = AsteriskRig.start(s -> s.withCapacity(1, 5.0, s.ringTimeout())
                .withQueueWait(java.time.Duration.ofMillis(300)))) {
            rig.ami.scriptDefault(FakeAmiServer.Outcome.hold()); // the first call holds the only channel
            rig.adapter.send(rig.attempt(61, "+8613800138061"), rig.sink);
            Await.until("first call up", AsteriskRig.WAIT, () -> rig.ami.originates(61) == 1);

            rig.adapter.send(rig.attempt(62, "+8613800138062"), rig.sink);
            assertThat(rig.adapter.queued()).isEqualTo(1);
            // Its case's deadline already passed: it cannot start in time, so it does not wait at all.
            org.screening.outreach.channels.OutboundAttempt overdue = rig.attempt(63, "+8613800138063");
            rig.adapter.send(new org.screening.outreach.channels.OutboundAttempt(63, overdue.caseId(), overdue.kind(),
                    1, overdue.phone(), overdue.name(), overdue.category(), overdue.jurisdiction(),
                    AsteriskRig.CLOCK.instant().minusSeconds(60), overdue.language()), rig.sink);

            rig.awaitReport(63);
            assertThat(rig.sink.only(63).details()).containsEntry("error", "no_free_channel").containsEntry("waitedSeconds", 0L);
            rig.awaitReport(62);
            RecordingSink.Report r = rig.sink.only(62);
            assertThat(r.outcome()).isEqualTo(AttemptOutcome.FAILED);
            assertThat(r.details()).containsEntry("error", "no_free_channel").containsEntry("pbx", "pbx-test")
                    .doesNotContainKey(org.screening.outreach.channels.OutcomeSink.PROVIDER_DOWN);
            assertThat(rig.adapter.queued()).isZero();
            assertThat(rig.adapter.channelsInUse()).isEqualTo(1);
            assertThat(rig.ami.originates(62) + rig.ami.originates(63)).isZero();
            assertThat(rig.sink.dialling()).extracting(Map.Entry::getKey).containsExactly(61L);
        }
    }

    /**
     * Item 2: an answered call (its conversation on another node) when the AMI link drops keeps its channel past
     * the ring timeout, so no call is placed beyond the PBX's limit; its Hangup, seen once the link is back, settles
     * it and frees the channel for the call that waited.
     */
    @Test
    void anAnsweredCallKeepsItsChannelWhileTheAmiLinkIsDownUntilItsHangupIsSeen() throws Exception {
        try (AsteriskRig rig = AsteriskRig.start(s -> s.withCapacity(1, 5.0, java.time.Duration.ofMillis(200)))) {
            CountDownLatch hangUp = new CountDownLatch(1);
            rig.ami.script(NATIONAL, FakeAmiServer.Outcome.answer((id, uid) -> {
                if (!hangUp.await(20, TimeUnit.SECONDS)) throw new AssertionError("test never let the call end");
            }));
            rig.adapter.send(rig.attempt(71, PHONE), rig.sink);
            Await.until("call answered", AsteriskRig.WAIT, () -> rig.ami.maxLiveChannels() == 1);
            Thread.sleep(200); // the OriginateResponse reaches the adapter

            rig.ami.dropClients();
            Await.until("Asterisk-Java logs in again", AsteriskRig.WAIT,
                    () -> rig.ami.logins() == 2 && rig.adapter.amiConnected());
            Thread.sleep(600); // well past the 200 ms ring timeout that used to free the channel

            assertThat(rig.adapter.channelsInUse()).as("the PBX still carries the call").isEqualTo(1);
            rig.ami.script("13900139000", FakeAmiServer.Outcome.reason(OriginateReason.BUSY));
            rig.adapter.send(rig.attempt(72, "+8613900139000"), rig.sink);
            assertThat(rig.adapter.queued()).isEqualTo(1);
            assertThat(rig.ami.originates(72)).isZero();
            assertThat(rig.sink.of(71)).isEmpty();

            hangUp.countDown();
            rig.awaitReport(71);
            assertThat(rig.sink.only(71).outcome()).isEqualTo(AttemptOutcome.ANSWERED);
            assertThat(rig.sink.only(71).details()).containsEntry("agi", "not_on_this_node");
            rig.awaitReport(72);
            assertThat(rig.sink.only(72).outcome()).isEqualTo(AttemptOutcome.BUSY);
            assertThat(rig.adapter.channelsInUse()).isZero();
        }
    }

    /**
     * Once the link is back the PBX is asked which channels are up: a call that rang out while the link was down
     * frees its channel (unreported, settled later as unreported), one still ringing keeps it.
     */
    @Test
    void onceTheLinkIsBackCallsThatEndedMeanwhileFreeTheirChannels() throws Exception {
        try (AsteriskRig rig = AsteriskRig.start(s -> s.withCapacity(3, 5.0, s.ringTimeout()))) {
            rig.ami.scriptDefault(FakeAmiServer.Outcome.hold());
            rig.adapter.send(rig.attempt(81, "+8613800138081"), rig.sink);
            rig.adapter.send(rig.attempt(82, "+8613800138082"), rig.sink);
            Await.until("both ringing", AsteriskRig.WAIT, () -> rig.ami.originates(81) + rig.ami.originates(82) == 2);

            rig.ami.pause();
            Await.until("adapter sees the drop", AsteriskRig.WAIT, () -> !rig.adapter.amiConnected());
            rig.ami.endSilently(81); // rang out unheard
            assertThat(rig.adapter.channelsInUse()).isEqualTo(2);
            rig.ami.resume();

            Await.until("81's channel freed once the PBX listed its channels", AsteriskRig.WAIT,
                    () -> rig.adapter.channelsInUse() == 1);
            assertThat(rig.ami.statusActions()).isEqualTo(1);
            assertThat(rig.sink.of(81)).as("settled as unreported, not from here").isEmpty();
            assertThat(rig.sink.of(82)).isEmpty();
            Thread.sleep(300);
            assertThat(rig.adapter.channelsInUse()).as("82 still rings").isEqualTo(1);
            rig.adapter.send(rig.attempt(81, "+8613800138081"), rig.sink);
            assertThat(rig.sink.only(81).details()).as("never dialled again").containsEntry("error", "already_dialled");
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
