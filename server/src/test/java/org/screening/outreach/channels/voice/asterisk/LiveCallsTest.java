package org.screening.outreach.channels.voice.asterisk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;

/** The bookkeeping that makes one report per call, whatever order AMI events and AGI sessions come in. */
class LiveCallsTest {
    static final Instant T0 = Instant.parse("2022-04-20T02:00:00Z");
    final RecordingSink sink = new RecordingSink();

    static OutboundAttempt attempt(long id) {
        return new OutboundAttempt(id, "case-" + id, ChannelKind.VOICE, 1, "+8613800138000", "张三", Category.RED,
                "510104001001", T0.plusSeconds(7200));
    }

    @Test
    void agiSessionSettlesTheCallAndTheLaterHangupDoesNothing() {
        LiveCalls calls = new LiveCalls(2);
        assertThat(calls.admit(attempt(1), sink)).isEqualTo(LiveCalls.Admission.DIAL);
        calls.answered(1, "u1", T0);
        assertThat(calls.agiStarted(1, T0.plusSeconds(1))).isEqualTo(LiveCalls.AgiStart.RUN);

        assertThat(calls.hungUp("u1", T0.plusSeconds(40))).isEmpty(); // the session still runs: it reports
        LiveCalls.Ended ended = calls.agiEnded(1, T0.plusSeconds(42)).orElseThrow();

        assertThat(ended.agiHere()).isTrue();
        assertThat(ended.durationSeconds()).isEqualTo(42);
        assertThat(calls.hungUp("u1", T0.plusSeconds(43))).isEmpty();
        assertThat(calls.agiEnded(1, T0.plusSeconds(43))).isEmpty();
        assertThat(calls.channelsInUse()).isZero();
    }

    @Test
    void agiSessionEndingBeforeTheOriginateResponseStillReportsOnce() {
        LiveCalls calls = new LiveCalls(2);
        calls.admit(attempt(1), sink);
        calls.agiStarted(1, T0);
        assertThat(calls.agiEnded(1, T0.plusSeconds(5))).isPresent();

        calls.answered(1, "u1", T0.plusSeconds(5));
        assertThat(calls.hungUp("u1", T0.plusSeconds(6))).isEmpty();
        assertThat(calls.unanswered(1)).isEmpty();
        assertThat(calls.channelsInUse()).isZero();
    }

    @Test
    void answeredCallWithoutAgiSessionIsSettledByItsHangup() {
        LiveCalls calls = new LiveCalls(2);
        calls.admit(attempt(1), sink);
        calls.answered(1, "u1", T0);

        LiveCalls.Ended ended = calls.hungUp("u1", T0.plusSeconds(3)).orElseThrow();

        assertThat(ended.agiHere()).isFalse();
        assertThat(calls.agiStarted(1, T0.plusSeconds(4))).isEqualTo(LiveCalls.AgiStart.REFUSE);
    }

    @Test
    void extraCallsWaitForAFreeChannel() {
        LiveCalls calls = new LiveCalls(1);
        assertThat(calls.admit(attempt(1), sink)).isEqualTo(LiveCalls.Admission.DIAL);
        assertThat(calls.admit(attempt(2), sink)).isEqualTo(LiveCalls.Admission.QUEUED);
        assertThat(calls.nextToDial()).isEmpty();

        assertThat(calls.unanswered(1)).isPresent();

        assertThat(calls.nextToDial()).extracting(LiveCalls.Call::id).containsExactly(2L);
        assertThat(calls.channelsInUse()).isEqualTo(1);
    }

    @Test
    void anAttemptIsNeverDialledTwice() {
        LiveCalls calls = new LiveCalls(2);
        calls.admit(attempt(1), sink);
        assertThat(calls.admit(attempt(1), sink)).isEqualTo(LiveCalls.Admission.IN_PROGRESS);
        calls.unanswered(1);
        assertThat(calls.admit(attempt(1), sink)).isEqualTo(LiveCalls.Admission.ALREADY_DIALLED);
    }

    @Test
    void anOriginateThatNeverLeftMayBeTriedAgain() {
        LiveCalls calls = new LiveCalls(1);
        calls.admit(attempt(1), sink);
        assertThat(calls.notDialled(1)).isPresent();
        assertThat(calls.admit(attempt(1), sink)).isEqualTo(LiveCalls.Admission.DIAL);
    }

    @Test
    void linkLossLosesUnansweredCallsHoldsTheirChannelsAndFailsQueuedOnes() {
        LiveCalls calls = new LiveCalls(2);
        calls.admit(attempt(1), sink);
        calls.admit(attempt(2), sink);
        calls.admit(attempt(3), sink);
        calls.answered(2, "u2", T0);
        calls.agiStarted(2, T0);

        LiveCalls.LinkLoss loss = calls.linkLost();

        assertThat(loss.lost()).extracting(LiveCalls.Call::id).containsExactly(1L);
        assertThat(loss.unsure()).isEmpty(); // its AGI session runs here: it reports
        assertThat(loss.undialled()).extracting(LiveCalls.Call::id).containsExactly(3L);
        assertThat(calls.channelsInUse()).isEqualTo(2);
        assertThat(calls.releaseLost(1)).isTrue();
        assertThat(calls.channelsInUse()).isEqualTo(1);
        assertThat(calls.agiEnded(2, T0.plusSeconds(9))).isPresent(); // the live conversation still reports
    }

    @Test
    void anOriginateResponseThatComesOnceTheLinkIsBackSettlesALostCall() {
        LiveCalls calls = new LiveCalls(2);
        calls.admit(attempt(1), sink);
        calls.linkLost();

        assertThat(calls.unanswered(1)).as("the PBX's word, late: reported, slot free").isPresent();
        assertThat(calls.channelsInUse()).isZero();
        assertThat(calls.releaseLost(1)).isFalse();
    }

    /**
     * Item 2: an answered call running its conversation elsewhere when the link dropped keeps its channel until its
     * end is known: its Hangup seen after the reconnect settles it as usual.
     */
    @Test
    void anAnsweredCallKeepsItsChannelThroughALinkLossUntilItsHangupIsSeen() {
        LiveCalls calls = new LiveCalls(1);
        calls.admit(attempt(1), sink);
        calls.answered(1, "u1", T0);

        LiveCalls.LinkLoss loss = calls.linkLost();

        assertThat(loss.unsure()).extracting(LiveCalls.Call::id).containsExactly(1L);
        assertThat(loss.lost()).isEmpty();
        assertThat(calls.channelsInUse()).as("the PBX still carries the call").isEqualTo(1);
        assertThat(calls.admit(attempt(2), sink)).isEqualTo(LiveCalls.Admission.QUEUED);
        LiveCalls.Ended ended = calls.hungUp("u1", T0.plusSeconds(90)).orElseThrow();
        assertThat(ended.durationSeconds()).isEqualTo(90);
        assertThat(calls.nextToDial()).extracting(LiveCalls.Call::id).containsExactly(2L);
    }

    /** Its Hangup lost with the link: the channel is freed once no call can still run, and nothing is reported. */
    @Test
    void anAnsweredCallWhoseHangupWasLostFreesItsChannelOnlyAtTheBound() {
        LiveCalls calls = new LiveCalls(1);
        calls.admit(attempt(1), sink);
        calls.answered(1, "u1", T0);
        calls.linkLost();

        assertThat(calls.releaseLost(1)).isTrue();
        assertThat(calls.channelsInUse()).isZero();
        assertThat(calls.hungUp("u1", T0.plusSeconds(700))).isEmpty();
    }

    /** A call whose AGI session runs on until after the bound is settled by that session, not freed under it. */
    @Test
    void anUnsureCallWhoseConversationStartsHereIsSettledByIt() {
        LiveCalls calls = new LiveCalls(1);
        calls.admit(attempt(1), sink);
        calls.answered(1, "u1", T0);
        calls.linkLost();
        assertThat(calls.agiStarted(1, T0.plusSeconds(1))).isEqualTo(LiveCalls.AgiStart.RUN);

        assertThat(calls.releaseLost(1)).isFalse();
        assertThat(calls.channelsInUse()).isEqualTo(1);
        assertThat(calls.agiEnded(1, T0.plusSeconds(60))).isPresent();
    }

    /** A lost call disowned (handed over again) is never reported, but its Hangup still frees its slot. */
    @Test
    void aDisownedLostCallGetsItsSlotBackAtItsHangupUnreported() {
        LiveCalls calls = new LiveCalls(1);
        calls.admit(attempt(1), sink);
        calls.lost(1);
        assertThat(calls.admit(attempt(1), sink)).isEqualTo(LiveCalls.Admission.ALREADY_DIALLED);

        calls.answered(1, "u1", T0);
        assertThat(calls.channelsInUse()).isEqualTo(1);
        assertThat(calls.hungUp("u1", T0.plusSeconds(30))).isEmpty();
        assertThat(calls.channelsInUse()).isZero();
        assertThat(calls.unanswered(1)).isEmpty();
    }

    @Test
    void aLostCallWhoseAgiSessionStartsIsReportedByIt() {
        LiveCalls calls = new LiveCalls(2);
        calls.admit(attempt(1), sink);
        calls.lost(1);

        assertThat(calls.agiStarted(1, T0)).isEqualTo(LiveCalls.AgiStart.RUN);
        assertThat(calls.releaseLost(1)).isFalse();
        assertThat(calls.agiEnded(1, T0.plusSeconds(30))).isPresent();
    }

    @Test
    void aLostCallHandedOverAgainIsRefusedAndNeverReportedLater() {
        LiveCalls calls = new LiveCalls(2);
        calls.admit(attempt(1), sink);
        calls.lost(1);

        assertThat(calls.admit(attempt(1), sink)).isEqualTo(LiveCalls.Admission.ALREADY_DIALLED);
        assertThat(calls.agiStarted(1, T0)).isEqualTo(LiveCalls.AgiStart.REFUSE);
        assertThat(calls.releaseLost(1)).isTrue();
        assertThat(calls.channelsInUse()).isZero();
    }

    @Test
    void agiSessionOfACallPlacedElsewhereRunsUntracked() {
        assertThat(new LiveCalls(1).agiStarted(99, T0)).isEqualTo(LiveCalls.AgiStart.UNTRACKED);
    }
}
