package org.screening.outreach.channels.voice.asterisk;

import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.event.HangupEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.response.ManagerError;
import org.asteriskjava.manager.response.ManagerResponse;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.FirstCheck;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.IvrSession;
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
 *   on; queued attempts likewise. Originates sent but not answered when the link dropped are never reported
 *   from here and their channel slot is held one ring timeout.</li>
 * </ul>
 * Once an Originate is written the attempt is marked dialling ({@link OutcomeSink#dialling}): it leaves the
 * lease queue, so a lost outcome is settled by SettleUnreportedCallsJob after the longest a call can last
 * (answered with its answers if the IVR ran, else failed for the retry plan) and no node dials it again. This
 * node also remembers what it dialled: an attempt handed over again gets FAILED {@code error=already_dialled}.
 * Never more than {@code maxChannels} calls at once: extra attempts wait here for a free channel (the dispatcher,
 * told the same capacity, should not send them). Nothing here blocks the caller of {@link #send}.
 */
public final class AsteriskVoiceAdapter implements ChannelAdapter, AmiLink.Listener, IvrAgiScript.Sessions {
    private static final Logger LOG = LoggerFactory.getLogger(AsteriskVoiceAdapter.class);
    public static final String PROVIDER = "asterisk";
    public static final String ATTEMPT_VARIABLE = "OUTREACH_ATTEMPT";
    public static final String CALL_LIMIT_VARIABLE = "OUTREACH_CALL_LIMIT";

    private final AsteriskSettings settings;
    private final Conversations conversations;
    private final Clock clock;
    private final LiveCalls calls;
    private final ScheduledExecutorService work;
    private final String actionIdPrefix;
    private final AmiLink link;
    private final AgiListener agi;
    private volatile boolean agiStarted;

    private AsteriskVoiceAdapter(AsteriskSettings settings, Conversations conversations, Clock clock) {
        this.settings = settings;
        this.conversations = conversations;
        this.clock = clock;
        this.calls = new LiveCalls(settings.maxChannels());
        this.work = executor(settings.pbxName());
        // Every AMI session with call events sees every OriginateResponse: the node part keeps ours apart.
        this.actionIdPrefix = "outreach-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
        this.link = new AmiLink(settings, work, this);
        this.agi = new AgiListener(settings, new IvrAgiScript(conversations, this));
    }

    /**
     * Binds the FastAGI port (throws when it cannot) and starts logging in to AMI in the background: the server
     * runs, and {@link #send} reports {@code ami_unavailable}, until the PBX answers.
     */
    public static AsteriskVoiceAdapter start(AsteriskSettings settings, Conversations conversations, Clock clock) {
        AsteriskVoiceAdapter adapter = new AsteriskVoiceAdapter(settings, conversations, clock);
        try {
            adapter.agi.start();
        } catch (RuntimeException e) {
            adapter.work.shutdownNow();
            throw e;
        }
        adapter.agiStarted = true;
        adapter.link.start();
        LOG.info("Asterisk voice adapter started: {}", settings);
        return adapter;
    }

    /**
     * One PBX of several ({@link AsteriskPbxs}): its own AMI link and channels, while the FastAGI port is the
     * group's (one port serves every PBX's dialplan).
     */
    static AsteriskVoiceAdapter member(AsteriskSettings settings, Conversations conversations, Clock clock) {
        AsteriskVoiceAdapter adapter = new AsteriskVoiceAdapter(settings, conversations, clock);
        adapter.link.start();
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

    /** Channels this PBX could still take: free ones minus the calls already waiting for one. */
    int spareChannels() {
        return settings.maxChannels() - calls.channelsInUse() - calls.queued();
    }

    @Override
    public java.util.Map<String, java.util.function.BooleanSupplier> links() {
        return java.util.Map.of(PROVIDER, this::amiConnected);
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

    @Override
    public void send(OutboundAttempt attempt, OutcomeSink sink) {
        if (!link.connected()) {
            failed(attempt, sink, "ami_unavailable");
            return;
        }
        switch (calls.admit(attempt, sink)) {
            case DIAL -> dialLater(attempt, sink);
            case QUEUED -> LOG.info("call attempt={} waits for a free channel", attempt.attemptId());
            case IN_PROGRESS -> LOG.warn("call attempt={} handed over again while its call runs; ignored",
                    attempt.attemptId());
            case ALREADY_DIALLED -> failed(attempt, sink, "already_dialled");
        }
    }

    private void dialLater(OutboundAttempt attempt, OutcomeSink sink) {
        work.execute(() -> dial(attempt, sink));
    }

    private void dial(OutboundAttempt a, OutcomeSink sink) {
        OriginateAction originate;
        try {
            originate = originate(a);
        } catch (IllegalArgumentException e) {
            calls.rejected(a.attemptId()).ifPresent(c -> failed(a, sink, "bad_number"));
            dialWaiting();
            return;
        }
        if (!link.connected()) {
            calls.notDialled(a.attemptId()).ifPresent(c -> failed(a, sink, "ami_unavailable"));
            dialWaiting();
            return;
        }
        LOG.info("call attempt={} to={} originating on {}", a.attemptId(), Masking.phone(a.phone()), settings.pbxName());
        try {
            link.send(originate, response -> originateAnswered(a, sink, response));
        } catch (IllegalStateException e) { // not connected: nothing was written
            calls.notDialled(a.attemptId()).ifPresent(c -> failed(a, sink, "ami_unavailable"));
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
        o.setVariable(ATTEMPT_VARIABLE, Long.toString(a.attemptId()));
        // The dialplan hangs up after this many seconds (TIMEOUT(absolute)); unreported calls are settled after it.
        o.setVariable(CALL_LIMIT_VARIABLE, Long.toString(settings.callLimit().toSeconds()));
        return o;
    }

    /** The immediate response to Originate: queued (wait for OriginateResponse), refused, or none (link dropped). */
    private void originateAnswered(OutboundAttempt a, OutcomeSink sink, ManagerResponse response) {
        if (response == null) {
            LOG.warn("call attempt={}: AMI link dropped before the originate was acknowledged; settled later as unreported",
                    a.attemptId());
            lost(a.attemptId());
        } else if (response instanceof ManagerError) {
            LOG.warn("call attempt={}: originate refused by {}: {}", a.attemptId(), settings.pbxName(),
                    Masking.redactNumbers(String.valueOf(response.getMessage())));
            calls.rejected(a.attemptId()).ifPresent(c -> report(c.sink, a.attemptId(), AttemptOutcome.FAILED,
                    facts(Map.of("error", "originate_rejected",
                            "message", Masking.redactNumbers(String.valueOf(response.getMessage()))))));
            dialWaiting();
        }
    }

    private void lost(long attemptId) {
        if (calls.lost(attemptId)) holdLostChannel(attemptId);
    }

    /** A lost originate may still ring for one ring timeout: its channel stays counted until then. */
    private void holdLostChannel(long attemptId) {
        work.schedule(() -> {
            if (calls.releaseLost(attemptId)) dialWaiting();
        }, settings.ringTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void dialWaiting() {
        for (LiveCalls.Call c : calls.nextToDial()) dialLater(c.attempt, c.sink);
    }

    @Override
    public void originateResponse(OriginateResponseEvent e) {
        Long attemptId = ourAttempt(e.getActionId());
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
            report(c.sink, attemptId, outcome, facts(Map.of("reason", reason)));
        });
        dialWaiting();
    }

    @Override
    public void hangup(HangupEvent e) {
        calls.hungUp(e.getUniqueId(), clock.instant()).ifPresent(ended -> work.execute(() -> {
            // No AGI session here for this call: the answers (if any) are what the database holds.
            Optional<IvrSession> session = Optional.empty();
            try {
                session = conversations.finish(ended.call().id());
            } catch (RuntimeException ex) {
                LOG.warn("call attempt={}: IVR session not readable at hang-up: {}", ended.call().id(),
                        Masking.redactNumbers(String.valueOf(ex.getMessage())));
            }
            reportAnswered(ended, session);
            dialWaiting();
        }));
    }

    @Override
    public void linkUp() {
        dialWaiting();
    }

    @Override
    public void linkDown() {
        LiveCalls.LinkLoss loss = calls.linkLost();
        for (LiveCalls.Call c : loss.lost()) {
            LOG.warn("call attempt={}: outcome unknown after AMI drop; settled later as unreported", c.id());
            holdLostChannel(c.id());
        }
        for (LiveCalls.Call c : loss.undialled()) failed(c.attempt, c.sink, "ami_unavailable");
    }

    @Override
    public LiveCalls.AgiStart started(long attemptId) {
        return calls.agiStarted(attemptId, clock.instant());
    }

    @Override
    public void ended(long attemptId, Optional<IvrSession> session) {
        calls.agiEnded(attemptId, clock.instant()).ifPresent(ended -> reportAnswered(ended, session));
        dialWaiting();
    }

    private void reportAnswered(LiveCalls.Ended ended, Optional<IvrSession> session) {
        Map<String, Object> d = new HashMap<>(session.map(Conversations::outcomeDetails)
                .orElseGet(() -> Map.of(FirstCheck.IVR, IvrSession.Status.HUNG_UP.name())));
        d.putAll(facts(Map.of("durationSeconds", ended.durationSeconds())));
        if (!ended.agiHere()) d.put("agi", "not_on_this_node");
        LOG.info("call attempt={} ended ANSWERED after {} s (ivr {})", ended.call().id(), ended.durationSeconds(),
                d.get(FirstCheck.IVR));
        report(ended.call().sink, ended.call().id(), AttemptOutcome.ANSWERED, d);
    }

    private void failed(OutboundAttempt a, OutcomeSink sink, String error) {
        LOG.info("call attempt={} to={} not placed: {}", a.attemptId(), Masking.phone(a.phone()), error);
        Map<String, Object> d = new HashMap<>(Map.of("error", error));
        if (error.equals("ami_unavailable")) d.put(OutcomeSink.PROVIDER_DOWN, true);
        report(sink, a.attemptId(), AttemptOutcome.FAILED, facts(d));
    }

    private Map<String, Object> facts(Map<String, Object> more) {
        Map<String, Object> d = new HashMap<>(more);
        d.put("provider", PROVIDER);
        d.put("pbx", settings.pbxName());
        return d;
    }

    private static void report(OutcomeSink sink, long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
        try {
            sink.report(attemptId, outcome, details);
        } catch (RuntimeException e) { // the receiver's problem; the lease or the settling job still settles the attempt
            LOG.warn("outcome of call attempt={} not taken: {}", attemptId, Masking.redactNumbers(String.valueOf(e.getMessage())));
        }
    }

    private Long ourAttempt(String actionId) {
        if (actionId == null || !actionId.startsWith(actionIdPrefix)) return null;
        try {
            return Long.parseLong(actionId.substring(actionIdPrefix.length()));
        } catch (NumberFormatException e) {
            return null;
        }
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
