package org.screening.outreach.channels.voice.asterisk;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
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
 *   on; queued attempts likewise. An Originate with no response when the link dropped is reported only if its
 *   OriginateResponse still comes once the link is back; an answered call is reported at its Hangup as usual when
 *   that is seen once the link is back. Until its end is known each keeps its channel slot, at most ringing plus
 *   the call limit plus 30 s, when no call can still be running.</li>
 * </ul>
 * Once an Originate is written the attempt is marked dialling ({@link OutcomeSink#dialling}): it leaves the
 * lease queue, so a lost outcome is settled by SettleUnreportedCallsJob after the longest a call can last
 * (answered with its answers if the IVR ran, else failed for the retry plan) and no node dials it again. This
 * node also remembers what it dialled: an attempt handed over again gets FAILED {@code error=already_dialled}.
 * Never more than {@code maxChannels} calls at once: extra attempts wait here for a free channel (the dispatcher,
 * told the same capacity, should not send them), for {@code queueWait} at most and never past the case's deadline,
 * then fail {@code no_free_channel} undialled. Nothing here blocks the caller of {@link #send}.
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
            case QUEUED -> giveUpLater(attempt);
            case IN_PROGRESS -> LOG.warn("call attempt={} handed over again while its call runs; ignored",
                    attempt.attemptId());
            case ALREADY_DIALLED -> failed(attempt, sink, "already_dialled");
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
            report(c.sink, c.id(), AttemptOutcome.FAILED, facts(Map.of("error", "no_free_channel",
                    "waitedSeconds", waited)));
        }), wait.toMillis(), TimeUnit.MILLISECONDS);
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

    /**
     * A call whose end is unknown (its Originate's response or its Hangup lost with the AMI link) may still ring and
     * then talk: its channel stays counted until its end is known, at the latest until ringing plus the call limit
     * (the dialplan's TIMEOUT(absolute)) plus a margin have passed, when SettleUnreportedCallsJob settles it.
     */
    private void holdLostChannel(long attemptId) {
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

    /** Beyond the call limit, for the PBX's own hang-up to take effect. */
    static final Duration LOST_CALL_MARGIN = Duration.ofSeconds(30);

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
        calls.hungUp(e.getUniqueId(), clock.instant()).ifPresent(ended -> work.execute(() -> settleAtHangup(ended, 1)));
        dialWaiting(); // also a lost call's slot, freed without a report
    }

    /** Reads of the session of a call settled at its Hangup, before it is left to the settling job. */
    static final int HANGUP_READS = 3;

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
        reportAnswered(ended, session);
    }

    @Override
    public void linkUp() {
        dialWaiting();
        if (calls.endsUnknown()) work.execute(this::reconcile);
    }

    /** How long the PBX may take to list its channels. */
    static final long STATUS_TIMEOUT_MILLIS = 10_000;

    /**
     * Once the link is back: asks the PBX which of the calls whose end went with the link still have a channel up.
     * Those that have none ended meanwhile and free their slots; when the PBX cannot say, the slots stay held until
     * no call can still be running.
     */
    private void reconcile() {
        Map<Long, String> live;
        try {
            live = link.liveChannels(ATTEMPT_VARIABLE, STATUS_TIMEOUT_MILLIS);
        } catch (Exception e) {
            LOG.warn("channels up on {} not listed ({}); calls lost with the AMI link keep their channels until no call "
                    + "can still be running", settings.pbxName(), e.getClass().getSimpleName());
            return;
        }
        List<Long> freed = calls.reconcile(live);
        if (!freed.isEmpty()) {
            LOG.info("calls {} ended while the AMI link to {} was down: their channels are free, their attempts are "
                    + "settled as unreported", freed, settings.pbxName());
            dialWaiting();
        }
    }

    @Override
    public void linkDown() {
        LiveCalls.LinkLoss loss = calls.linkLost();
        for (LiveCalls.Call c : loss.lost()) {
            LOG.warn("call attempt={}: outcome unknown after AMI drop; its channel stays held until its end is known",
                    c.id());
            holdLostChannel(c.id());
        }
        for (LiveCalls.Call c : loss.unsure()) {
            LOG.warn("call attempt={}: answered, its hang-up may be missed after AMI drop; its channel stays held until "
                    + "its end is known", c.id());
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

    @Override
    public void broke(long attemptId, Optional<IvrSession> stored, String error) {
        calls.agiEnded(attemptId, clock.instant()).ifPresent(ended -> {
            // Not a first check (the callee heard the apology instead of the questions): FAILED, so the plan calls
            // again rather than taking a half-done call as reached. The answers stored so far stay in the ledger
            // and are repeated here; never providerDown: the PBX is fine, another provider would fare no better.
            Map<String, Object> d = new HashMap<>(stored.map(IvrSession::answers).orElse(Map.of()));
            d.putAll(facts(Map.of("error", error, "durationSeconds", ended.durationSeconds())));
            LOG.warn("call attempt={} broke off after {} s ({}); reported FAILED for the retry plan", attemptId,
                    ended.durationSeconds(), error);
            report(ended.call().sink, attemptId, AttemptOutcome.FAILED, d);
        });
        dialWaiting();
    }

    @Override
    public String language(long attemptId) {
        return calls.attempt(attemptId).map(a -> a.language().tag()).orElse(null);
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
