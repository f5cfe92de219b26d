package org.screening.outreach.channels.voice.asterisk;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.ivr.BrokenOffCalls;
import org.screening.outreach.ivr.Conversations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls through one Asterisk PBX: an async AMI {@code Originate} per attempt (channel from the template, the
 * configured context/exten/priority, variable {@code OUTREACH_ATTEMPT=<attempt id>}, ActionID
 * {@code outreach-<node>-<attempt id>}), answered calls running the IVR over FastAGI ({@link IvrAgiScript}).
 *
 * <p>Outcomes, one per attempt ({@link LiveCalls} decides who reports):
 * <ul>
 * <li>OriginateResponse reason 3 (or 1, 2) → NO_ANSWER, 5 → BUSY, 8 congestion / 0 failure → FAILED, with
 *   {@code provider}, {@code pbx}, {@code reason}.</li>
 * <li>Reason 4 → the call is answered; ANSWERED is reported when it ends, with the answers
 *   ({@link Conversations#outcomeDetails}), {@code provider}, {@code pbx}, {@code durationSeconds}: at the end of
 *   its AGI session, or at the channel's AMI Hangup when no AGI session ran here ({@code agi=not_on_this_node}).</li>
 * <li>AMI link down: {@code send} reports FAILED {@code error=ami_unavailable} at once, so the case's plan moves
 *   on; queued attempts likewise. An Originate with no response when the link dropped is reported only if its
 *   OriginateResponse still comes once the link is back; an answered call is reported at its Hangup as usual when
 *   that is seen once the link is back. Until its end is known each keeps its channel slot, at most ringing plus
 *   the call limit plus 30 s, when no call can still be running.</li>
 * </ul>
 * Once an Originate is written the attempt is marked dialling ({@link OutcomeSink#dialling}): it leaves the
 * lease queue, so a lost outcome is settled by SettleUnreportedCallsJob after the longest a call can last
 * (answered with its answers if the IVR ran, else failed for the retry plan) and no node dials it again. This
 * node also remembers what it dialled: an attempt handed over again gets FAILED {@code error=already_dialled}, also
 * while the link is down (never {@code ami_unavailable}, which a failover provider would dial).
 * Never more than {@code maxChannels} calls at once: extra attempts wait here for a free channel (the dispatcher,
 * told the same capacity, should not send them), for {@code queueWait} at most and never past the case's deadline,
 * then fail {@code no_free_channel} undialled. Nothing here blocks the caller of {@link #send}.
 *
 * <p>Its parts: {@link Originator} places the calls, {@link AmiCallEvents} follows them over the AMI link (and the
 * link's drops), {@link AgiCalls} ends those whose conversation ran here, {@link CallReports} words the outcomes.
 */
public final class AsteriskVoiceAdapter implements ChannelAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(AsteriskVoiceAdapter.class);
    public static final String PROVIDER = "asterisk";
    public static final String ATTEMPT_VARIABLE = "OUTREACH_ATTEMPT";
    public static final String CALL_LIMIT_VARIABLE = "OUTREACH_CALL_LIMIT";
    /** The case's language tag, on the channel for an AGI session that can read neither the database nor the call. */
    public static final String LANGUAGE_VARIABLE = "OUTREACH_LANGUAGE";
    /**
     * Set on the channel by an AGI session whose conversation broke off on our side (its value: the error), so the node
     * that placed the call learns it from the channel's Hangup (manager.conf: {@code channelvars = OUTREACH_IVR_ERROR}).
     */
    public static final String IVR_ERROR_VARIABLE = "OUTREACH_IVR_ERROR";

    private final AsteriskSettings settings;
    private final Clock clock;
    private final LiveCalls calls;
    private final ScheduledExecutorService work;
    private final CallReports reports;
    private final AmiLink link;
    private final Originator originator;
    private final AmiCallEvents events;
    private final AgiCalls sessions;
    private final AgiListener agi;
    private volatile boolean agiStarted;

    private AsteriskVoiceAdapter(AsteriskSettings settings, Conversations conversations, BrokenOffCalls brokenOff,
                                 Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.calls = new LiveCalls(settings.maxChannels());
        this.work = executor(settings.pbxName());
        this.reports = new CallReports(settings.pbxName());
        this.link = new AmiLink(settings, work);
        this.originator = new Originator(settings, calls, link, reports, work);
        this.events = new AmiCallEvents(settings, calls, link, originator, reports, conversations, clock, work);
        this.sessions = new AgiCalls(calls, originator, reports, clock);
        this.agi = new AgiListener(settings, new IvrAgiScript(conversations, sessions, brokenOff));
    }

    /**
     * Binds the FastAGI port (throws when it cannot) and starts logging in to AMI in the background: the server
     * runs, and {@link #send} reports {@code ami_unavailable}, until the PBX answers.
     */
    public static AsteriskVoiceAdapter start(AsteriskSettings settings, Conversations conversations,
                                             BrokenOffCalls brokenOff, Clock clock) {
        AsteriskVoiceAdapter adapter = new AsteriskVoiceAdapter(settings, conversations, brokenOff, clock);
        try {
            adapter.agi.start();
        } catch (RuntimeException e) {
            adapter.work.shutdownNow();
            throw e;
        }
        adapter.agiStarted = true;
        adapter.link.start(adapter.events);
        LOG.info("Asterisk voice adapter started: {}", settings);
        return adapter;
    }

    /**
     * One PBX of several ({@link AsteriskPbxs}): its own AMI link and channels, while the FastAGI port is the
     * group's (one port serves every PBX's dialplan).
     */
    static AsteriskVoiceAdapter member(AsteriskSettings settings, Conversations conversations, BrokenOffCalls brokenOff,
                                       Clock clock) {
        AsteriskVoiceAdapter adapter = new AsteriskVoiceAdapter(settings, conversations, brokenOff, clock);
        adapter.link.start(adapter.events);
        LOG.info("Asterisk PBX started: {}", settings);
        return adapter;
    }

    /** Logs off AMI and closes the FastAGI port; calls in progress are settled later as unreported. */
    public void stop() {
        link.stop();
        if (agiStarted) agi.stop();
        work.shutdownNow();
    }

    AsteriskSettings settings() {
        return settings;
    }

    /** The AGI sessions of the calls this PBX placed, for a group's shared FastAGI port. */
    IvrAgiScript.Sessions sessions() {
        return sessions;
    }

    /** Channels this PBX could still take: free ones minus the calls already waiting for one. */
    int spareChannels() {
        return settings.maxChannels() - calls.channelsInUse() - calls.queued();
    }

    @Override
    public Map<String, BooleanSupplier> links() {
        return Map.of(PROVIDER, this::amiConnected);
    }

    public boolean amiConnected() {
        return link.connected();
    }

    /** Calls ringing or talking now (including lost originates whose channel slot is still held). */
    public int channelsInUse() {
        return calls.channelsInUse();
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.VOICE;
    }

    @Override
    public String provider() {
        return PROVIDER;
    }

    @Override
    public Capacity capacity() {
        return new Capacity(settings.maxChannels(), settings.callsPerSecond());
    }

    /** Whether this PBX took the attempt (tracks it, or remembers dialling it): it alone may answer a new hand-over. */
    boolean took(long attemptId) {
        return calls.knows(attemptId);
    }

    @Override
    public void send(OutboundAttempt attempt, OutcomeSink sink) {
        // An attempt dialled here is refused as such even with the link down: ami_unavailable would send it to a
        // failover provider, ringing the callee again while the first call may still be up.
        if (!link.connected() && !calls.knows(attempt.attemptId())) {
            reports.notPlaced(attempt, sink, "ami_unavailable");
            return;
        }
        switch (calls.admit(attempt, sink)) {
            case DIAL -> originator.dialLater(attempt, sink);
            case QUEUED -> giveUpLater(attempt);
            case IN_PROGRESS -> LOG.warn("call attempt={} handed over again while its call runs; ignored",
                    attempt.attemptId());
            case ALREADY_DIALLED -> reports.notPlaced(attempt, sink, "already_dialled");
        }
    }

    /**
     * A call waiting for a channel waits {@link AsteriskSettings#queueWait} at most, and never past its case's
     * deadline: then it fails {@code no_free_channel} (never dialled), so the case's plan goes on (the next call, or
     * the door knock when none fits) instead of the call ringing late or after its lease let another node take it.
     */
    private void giveUpLater(OutboundAttempt attempt) {
        Duration wait = settings.queueWait();
        if (attempt.deadlineAt() != null) {
            Duration toDeadline = Duration.between(clock.instant(), attempt.deadlineAt());
            if (toDeadline.compareTo(wait) < 0) wait = toDeadline.isNegative() ? Duration.ZERO : toDeadline;
        }
        LOG.info("call attempt={} waits up to {} s for a free channel on {}", attempt.attemptId(), wait.toSeconds(),
                settings.pbxName());
        long waited = wait.toSeconds();
        work.schedule(() -> calls.giveUp(attempt.attemptId()).ifPresent(c -> {
            LOG.warn("call attempt={}: no channel free on {} in time; not placed", c.id(), settings.pbxName());
            reports.report(c, AttemptOutcome.FAILED, Map.of("error", "no_free_channel", "waitedSeconds", waited));
        }), wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ScheduledExecutorService executor(String pbx) {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(3, r -> {
            Thread t = new Thread(r, "asterisk-" + pbx + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        ex.setRemoveOnCancelPolicy(true);
        return ex;
    }

    /** For tests: attempts waiting for a free channel. */
    int queued() {
        return calls.queued();
    }
}
