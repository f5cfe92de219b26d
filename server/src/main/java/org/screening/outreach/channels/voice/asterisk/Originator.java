package org.screening.outreach.channels.voice.asterisk;

import java.io.IOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Masking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Places the calls of one PBX that got a channel: an async AMI {@code Originate} each (channel from the template, the
 * configured context/exten/priority, variables {@code OUTREACH_ATTEMPT}, {@code OUTREACH_LANGUAGE} and
 * {@code OUTREACH_CALL_LIMIT}, ActionID
 * {@code outreach-<node>-<attempt id>}), and what its immediate response says: refused (FAILED, nothing rang), or
 * none because the AMI link dropped (lost: its channel stays held until no call can still be running). Once the
 * Originate is written the attempt is marked dialling ({@link OutcomeSink#dialling}).
 */
final class Originator {
    private static final Logger LOG = LoggerFactory.getLogger(Originator.class);
    /** Beyond the call limit, for the PBX's own hang-up to take effect. */
    static final Duration LOST_CALL_MARGIN = Duration.ofSeconds(30);

    private final AsteriskSettings settings;
    private final LiveCalls calls;
    private final AmiLink link;
    private final CallReports reports;
    private final ScheduledExecutorService work;
    // Every AMI session with call events sees every OriginateResponse: the node part keeps ours apart.
    private final String actionIdPrefix =
            "outreach-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";

    Originator(AsteriskSettings settings, LiveCalls calls, AmiLink link, CallReports reports,
               ScheduledExecutorService work) {
        this.settings = settings;
        this.calls = calls;
        this.link = link;
        this.reports = reports;
        this.work = work;
    }

    /** Dials the call on the adapter's own threads: nothing here blocks the caller of {@code send}. */
    void dialLater(OutboundAttempt attempt, OutcomeSink sink) {
        work.execute(() -> dial(attempt, sink));
    }

    /** Dials the queued calls that a freed channel lets through. */
    void dialWaiting() {
        for (LiveCalls.Call c : calls.nextToDial()) dialLater(c.attempt, c.sink);
    }

    /** The attempt id of an ActionID of this node's, or null for anyone else's. */
    Long attemptOf(String actionId) {
        if (actionId == null || !actionId.startsWith(actionIdPrefix)) return null;
        try {
            return Long.parseLong(actionId.substring(actionIdPrefix.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void dial(OutboundAttempt a, OutcomeSink sink) {
        OriginateAction originate;
        try {
            originate = originate(a);
        } catch (IllegalArgumentException e) {
            calls.rejected(a.attemptId()).ifPresent(c -> reports.notPlaced(a, sink, "bad_number"));
            dialWaiting();
            return;
        }
        if (!link.connected()) {
            calls.notDialled(a.attemptId()).ifPresent(c -> reports.notPlaced(a, sink, "ami_unavailable"));
            dialWaiting();
            return;
        }
        LOG.info("call attempt={} to={} originating on {}", a.attemptId(), Masking.phone(a.phone()), settings.pbxName());
        try {
            link.send(originate, response -> originateAnswered(a, response));
        } catch (IllegalStateException e) { // not connected: nothing was written
            calls.notDialled(a.attemptId()).ifPresent(c -> reports.notPlaced(a, sink, "ami_unavailable"));
            dialWaiting();
            return;
        } catch (IOException e) { // written in part or in full: it may ring, so it is lost rather than failed
            LOG.warn("call attempt={} originate write failed ({}); settled later as unreported", a.attemptId(),
                    e.getClass().getSimpleName());
            lost(a.attemptId());
        }
        // From here the phone may ring: no node may dial this attempt again, even if its outcome is lost.
        sink.dialling(a.attemptId(), originate.getActionId());
    }

    private OriginateAction originate(OutboundAttempt a) {
        OriginateAction o = new OriginateAction();
        o.setActionId(actionIdPrefix + a.attemptId());
        o.setChannel(DialString.channel(settings, a.phone()));
        o.setContext(settings.context());
        o.setExten(settings.exten());
        o.setPriority(settings.priority());
        if (settings.callerId() != null && !settings.callerId().isBlank()) o.setCallerId(settings.callerId());
        o.setTimeout(settings.ringTimeout().toMillis());
        o.setAsync(true);
        o.setVariable(AsteriskVoiceAdapter.ATTEMPT_VARIABLE, Long.toString(a.attemptId()));
        o.setVariable(AsteriskVoiceAdapter.LANGUAGE_VARIABLE, a.language().tag());
        // The dialplan hangs up after this many seconds (TIMEOUT(absolute)); unreported calls are settled after it.
        o.setVariable(AsteriskVoiceAdapter.CALL_LIMIT_VARIABLE, Long.toString(settings.callLimit().toSeconds()));
        return o;
    }

    /** The immediate response to Originate: queued (wait for OriginateResponse), refused, or none (link dropped). */
    private void originateAnswered(OutboundAttempt a, ManagerResponse response) {
        if (response == null) {
            LOG.warn("call attempt={}: AMI link dropped before the originate was acknowledged; settled later as unreported",
                    a.attemptId());
            lost(a.attemptId());
        } else if (response instanceof ManagerError) {
            String message = Masking.redactNumbers(String.valueOf(response.getMessage()));
            LOG.warn("call attempt={}: originate refused by {}: {}", a.attemptId(), settings.pbxName(), message);
            calls.rejected(a.attemptId()).ifPresent(c -> reports.report(c, AttemptOutcome.FAILED,
                    Map.of("error", "originate_rejected", "message", message)));
            dialWaiting();
        }
    }

    private void lost(long attemptId) {
        if (calls.lost(attemptId)) holdLostChannel(attemptId);
    }

    /**
     * A call whose end is unknown (its Originate's response or its Hangup lost with the AMI link) may still ring and
     * then talk: its channel stays counted until its end is known, at the latest until ringing plus the call limit
     * (the dialplan's TIMEOUT(absolute)) plus a margin have passed, when SettleUnreportedCallsJob settles it.
     */
    void holdLostChannel(long attemptId) {
        work.schedule(() -> {
            if (calls.releaseLost(attemptId)) {
                LOG.info("call attempt={}: no call can still be running; its channel on {} is free", attemptId,
                        settings.pbxName());
                dialWaiting();
            }
        }, longestCall().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The longest a call placed now can hold a channel: ringing, the call limit and a margin. */
    Duration longestCall() {
        return settings.ringTimeout().plus(settings.callLimit()).plus(LOST_CALL_MARGIN);
    }
}
