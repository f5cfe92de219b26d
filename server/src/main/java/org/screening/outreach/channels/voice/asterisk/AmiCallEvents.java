package org.screening.outreach.channels.voice.asterisk;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.IvrSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the AMI link of one PBX says about this node's calls, and the link's own ups and downs.
 * <ul>
 * <li>OriginateResponse reason 3 (or 1, 2) → NO_ANSWER, 5 → BUSY, 8 congestion / 0 failure → FAILED, with
 *   {@code reason}; reason 4 → answered, reported when it ends.</li>
 * <li>Hangup of an answered call with no AGI session here → ANSWERED with the answers the database holds
 *   ({@code agi=not_on_this_node}); FAILED with the error when the channel says its conversation broke off on
 *   the node that ran it ({@link AsteriskVoiceAdapter#IVR_ERROR_VARIABLE}).</li>
 * <li>Link down: calls whose end may go with it keep their channel slots ({@link Originator#holdLostChannel}); queued
 *   attempts fail {@code ami_unavailable}. Link up again: the PBX's {@code Status} says which of them ended meanwhile.</li>
 * </ul>
 */
final class AmiCallEvents implements AmiLink.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(AmiCallEvents.class);
    /** Reads of the session of a call settled at its Hangup, before it is left to the settling job. */
    static final int HANGUP_READS = 3;
    /** How long the PBX may take to list its channels. */
    static final long STATUS_TIMEOUT_MILLIS = 10_000;

    private final AsteriskSettings settings;
    private final LiveCalls calls;
    private final AmiLink link;
    private final Originator originator;
    private final CallReports reports;
    private final Conversations conversations;
    private final Clock clock;
    private final ScheduledExecutorService work;

    AmiCallEvents(AsteriskSettings settings, LiveCalls calls, AmiLink link, Originator originator, CallReports reports,
                  Conversations conversations, Clock clock, ScheduledExecutorService work) {
        this.settings = settings;
        this.calls = calls;
        this.link = link;
        this.originator = originator;
        this.reports = reports;
        this.conversations = conversations;
        this.clock = clock;
        this.work = work;
    }

    @Override
    public void originateResponse(OriginateResponseEvent e) {
        Long attemptId = originator.attemptOf(e.getActionId());
        if (attemptId == null || e.getReason() == null) return;
        int reason = e.getReason();
        if (reason == OriginateReason.ANSWERED) {
            LOG.info("call attempt={} answered", attemptId);
            calls.answered(attemptId, e.getUniqueId(), clock.instant());
            return;
        }
        calls.unanswered(attemptId).ifPresent(c -> {
            AttemptOutcome outcome = OriginateReason.unanswered(reason);
            LOG.info("call attempt={} to={} ended {} (reason {})", attemptId, Masking.phone(c.attempt.phone()), outcome, reason);
            reports.report(c, outcome, Map.of("reason", reason));
        });
        originator.dialWaiting();
    }

    @Override
    public void hangup(HangupEvent e) {
        String error = ivrError(e);
        calls.hungUp(e.getUniqueId(), clock.instant()).ifPresent(ended -> work.execute(() -> {
            if (error != null) settleBrokeOff(ended, error);
            else settleAtHangup(ended, 1);
        }));
        originator.dialWaiting(); // also a lost call's slot, freed without a report
    }

    /** The error an AGI session on another node left on the channel when its conversation broke off; else null. */
    private static String ivrError(HangupEvent e) {
        Map<String, String> vars = e.getChannelVariables();
        if (vars == null) return null;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            if (v.getKey().equalsIgnoreCase(AsteriskVoiceAdapter.IVR_ERROR_VARIABLE) && v.getValue() != null
                    && !v.getValue().isBlank()) {
                return v.getValue().strip();
            }
        }
        return null;
    }

    /**
     * The conversation broke off on another node (the database failed there): FAILED for the retry plan, as when it
     * breaks off here. The answers stored before are repeated when the database can be read; they stay in the ledger
     * either way, so the report does not wait for it.
     */
    private void settleBrokeOff(LiveCalls.Ended ended, String error) {
        Optional<IvrSession> stored;
        try {
            stored = conversations.stored(ended.call().id());
        } catch (RuntimeException ex) {
            stored = Optional.empty();
        }
        reports.brokeOff(ended, stored, error);
    }

    /**
     * No AGI session here for this call: the answers (if any) are what the database holds. While it cannot be read
     * the call is not reported (an ANSWERED without the answers would throw away those given): it is read again a
     * few times, then left to SettleUnreportedCallsJob, which reads them once the database is back.
     */
    private void settleAtHangup(LiveCalls.Ended ended, int read) {
        long id = ended.call().id();
        Optional<IvrSession> session;
        try {
            session = conversations.finish(id);
        } catch (RuntimeException ex) {
            String why = Masking.redactNumbers(String.valueOf(ex.getMessage()));
            if (read >= HANGUP_READS) {
                LOG.warn("call attempt={}: IVR session not readable at hang-up ({}); left to the settling of unreported calls",
                        id, why);
                return;
            }
            LOG.warn("call attempt={}: IVR session not readable at hang-up ({}); reading it again", id, why);
            work.schedule(() -> settleAtHangup(ended, read + 1), 5L * read, TimeUnit.SECONDS);
            return;
        }
        reports.answered(ended, session);
    }

    @Override
    public void linkUp() {
        originator.dialWaiting();
        if (calls.endsUnknown()) work.execute(this::reconcile);
    }

    /**
     * Once the link is back: asks the PBX which of the calls whose end went with the link still have a channel up.
     * Those that have none ended meanwhile and free their slots; when the PBX cannot say, the slots stay held until
     * no call can still be running.
     */
    private void reconcile() {
        Map<Long, String> live;
        try {
            live = link.liveChannels(AsteriskVoiceAdapter.ATTEMPT_VARIABLE, STATUS_TIMEOUT_MILLIS);
        } catch (Exception e) {
            LOG.warn("channels up on {} not listed ({}); calls lost with the AMI link keep their channels until no call "
                    + "can still be running", settings.pbxName(), e.getClass().getSimpleName());
            return;
        }
        List<Long> freed = calls.reconcile(live);
        if (!freed.isEmpty()) {
            LOG.info("calls {} ended while the AMI link to {} was down: their channels are free, their attempts are "
                    + "settled as unreported", freed, settings.pbxName());
            originator.dialWaiting();
        }
    }

    @Override
    public void linkDown() {
        LiveCalls.LinkLoss loss = calls.linkLost();
        for (LiveCalls.Call c : loss.lost()) {
            LOG.warn("call attempt={}: outcome unknown after AMI drop; its channel stays held until its end is known",
                    c.id());
            originator.holdLostChannel(c.id());
        }
        for (LiveCalls.Call c : loss.unsure()) {
            LOG.warn("call attempt={}: answered, its hang-up may be missed after AMI drop; its channel stays held until "
                    + "its end is known", c.id());
            originator.holdLostChannel(c.id());
        }
        for (LiveCalls.Call c : loss.undialled()) reports.notPlaced(c.attempt, c.sink, "ami_unavailable");
    }
}
