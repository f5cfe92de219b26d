package org.screening.outreach.channels.voice.asterisk;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;

/**
 * The calls this node has taken, with the PBX's channel limit: no I/O, every change under one lock. A call leaves
 * this table exactly once, and only the methods that take it out hand it back for its outcome to be reported, so
 * however the AMI events and the AGI session interleave, one report is made per attempt.
 *
 * <p>Who settles an answered call: its FastAGI session when it runs here (it holds the answers); otherwise the
 * AMI {@code Hangup} of its channel (AGI never connected, or ran on another node: the answers are in the
 * database). A call whose Originate got no response before the AMI link dropped is {@code LOST}: never reported
 * from AMI events (the attempt, marked dialling, is settled as unreported), its channel slot kept for one ring timeout, unless its AGI session
 * starts, which proves it was answered.
 */
final class LiveCalls {
    /** Attempt ids remembered as dialled, so an attempt handed over again is never dialled twice. */
    private static final int DIALLED_MEMORY = 100_000;

    enum Phase { WAITING, DIALLING, ANSWERED, LOST }

    enum Admission { DIAL, QUEUED, IN_PROGRESS, ALREADY_DIALLED }

    enum AgiStart { RUN, UNTRACKED, REFUSE }

    static final class Call {
        final OutboundAttempt attempt;
        final OutcomeSink sink;
        Phase phase = Phase.WAITING;
        String uniqueId;
        Instant answeredAt;
        boolean agiRunning;
        /** A LOST call whose attempt was handed over again and answered {@code already_dialled}: never reported. */
        boolean disowned;

        Call(OutboundAttempt attempt, OutcomeSink sink) {
            this.attempt = attempt;
            this.sink = sink;
        }

        long id() {
            return attempt.attemptId();
        }
    }

    /** An answered call that has ended; {@code agiHere}: its AGI session ran on this node. */
    record Ended(Call call, Instant answeredAt, Instant endedAt, boolean agiHere) {
        long durationSeconds() {
            return answeredAt == null ? 0 : Math.max(0, endedAt.getEpochSecond() - answeredAt.getEpochSecond());
        }
    }

    /** After the AMI link dropped: calls now {@code LOST} (slots held for a while) and queued calls never dialled. */
    record LinkLoss(List<Call> lost, List<Call> undialled) {}

    private final int maxChannels;
    private final Map<Long, Call> byAttempt = new HashMap<>();
    private final Map<String, Call> byUniqueId = new HashMap<>();
    private final Deque<Call> waiting = new ArrayDeque<>();
    private final Map<Long, Boolean> dialled = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > DIALLED_MEMORY;
        }
    };
    private int busy;

    LiveCalls(int maxChannels) {
        this.maxChannels = maxChannels;
    }

    synchronized Admission admit(OutboundAttempt attempt, OutcomeSink sink) {
        long id = attempt.attemptId();
        Call known = byAttempt.get(id);
        if (known != null && known.phase == Phase.LOST) {
            known.disowned = true; // the new hand-over gets the report; the lost call stays only for its slot
            return Admission.ALREADY_DIALLED;
        }
        if (known != null) return Admission.IN_PROGRESS;
        if (dialled.containsKey(id)) return Admission.ALREADY_DIALLED;
        Call call = new Call(attempt, sink);
        byAttempt.put(id, call);
        if (busy < maxChannels) {
            take(call);
            return Admission.DIAL;
        }
        waiting.addLast(call);
        return Admission.QUEUED;
    }

    /** Queued calls that got a free channel; each now counts against the limit and must be dialled. */
    synchronized List<Call> nextToDial() {
        List<Call> next = new ArrayList<>();
        while (busy < maxChannels && !waiting.isEmpty()) {
            Call c = waiting.pollFirst();
            take(c);
            next.add(c);
        }
        return next;
    }

    /** The Originate never left this node (link down): the attempt may be dialled later. */
    synchronized Optional<Call> notDialled(long attemptId) {
        Call c = byAttempt.get(attemptId);
        if (c == null || c.phase != Phase.DIALLING) return Optional.empty();
        remove(c);
        dialled.remove(attemptId);
        return Optional.of(c);
    }

    /** Asterisk refused the Originate itself (permission, bad channel): nothing rang. */
    synchronized Optional<Call> rejected(long attemptId) {
        Call c = byAttempt.get(attemptId);
        if (c == null || c.phase != Phase.DIALLING) return Optional.empty();
        remove(c);
        return Optional.of(c);
    }

    /** The Originate may have been sent but its response will never come (link dropped). */
    synchronized boolean lost(long attemptId) {
        Call c = byAttempt.get(attemptId);
        if (c == null || c.phase != Phase.DIALLING) return false;
        c.phase = Phase.LOST;
        return true;
    }

    synchronized LinkLoss linkLost() {
        List<Call> lost = new ArrayList<>();
        for (Call c : byAttempt.values()) {
            boolean unsettledAnswer = c.phase == Phase.ANSWERED && !c.agiRunning; // its Hangup event may be gone
            if (c.phase == Phase.DIALLING || unsettledAnswer) {
                c.phase = Phase.LOST;
                if (c.uniqueId != null) byUniqueId.remove(c.uniqueId);
                lost.add(c);
            }
        }
        List<Call> undialled = new ArrayList<>(waiting);
        waiting.clear();
        undialled.forEach(c -> byAttempt.remove(c.id()));
        return new LinkLoss(lost, undialled);
    }

    /** Frees the channel of a call still {@code LOST}; false when it was answered meanwhile or is gone. */
    synchronized boolean releaseLost(long attemptId) {
        Call c = byAttempt.get(attemptId);
        if (c == null || c.phase != Phase.LOST) return false;
        remove(c);
        return true;
    }

    /** OriginateResponse with a reason other than answered: the call is over, report it. */
    synchronized Optional<Call> unanswered(long attemptId) {
        Call c = byAttempt.get(attemptId);
        if (c == null || c.phase != Phase.DIALLING) return Optional.empty();
        remove(c);
        return Optional.of(c);
    }

    /** OriginateResponse reason 4: the callee picked up; the call is settled when it ends. */
    synchronized void answered(long attemptId, String uniqueId, Instant at) {
        Call c = byAttempt.get(attemptId);
        if (c == null || (c.phase != Phase.DIALLING && c.phase != Phase.ANSWERED)) return;
        c.phase = Phase.ANSWERED;
        if (c.answeredAt == null) c.answeredAt = at;
        if (uniqueId != null && !uniqueId.isBlank()) {
            c.uniqueId = uniqueId;
            byUniqueId.put(uniqueId, c);
        }
    }

    synchronized AgiStart agiStarted(long attemptId, Instant at) {
        Call c = byAttempt.get(attemptId);
        if (c == null) return dialled.containsKey(attemptId) ? AgiStart.REFUSE : AgiStart.UNTRACKED;
        if (c.phase == Phase.WAITING || c.agiRunning || c.disowned) return AgiStart.REFUSE;
        c.phase = Phase.ANSWERED; // also a LOST call: the session proves it was answered
        c.agiRunning = true;
        if (c.answeredAt == null) c.answeredAt = at;
        return AgiStart.RUN;
    }

    synchronized Optional<Ended> agiEnded(long attemptId, Instant at) {
        Call c = byAttempt.get(attemptId);
        if (c == null || !c.agiRunning) return Optional.empty();
        remove(c);
        return Optional.of(new Ended(c, c.answeredAt, at, true));
    }

    /** AMI Hangup of a channel: settles its call unless the call's AGI session is still running here. */
    synchronized Optional<Ended> hungUp(String uniqueId, Instant at) {
        Call c = uniqueId == null ? null : byUniqueId.get(uniqueId);
        if (c == null || c.agiRunning || c.phase != Phase.ANSWERED) return Optional.empty();
        remove(c);
        return Optional.of(new Ended(c, c.answeredAt, at, false));
    }

    synchronized int channelsInUse() {
        return busy;
    }

    synchronized int queued() {
        return waiting.size();
    }

    private void take(Call c) {
        busy++;
        c.phase = Phase.DIALLING;
        dialled.put(c.id(), Boolean.TRUE);
    }

    private void remove(Call c) {
        byAttempt.remove(c.id());
        if (c.uniqueId != null) byUniqueId.remove(c.uniqueId);
        if (c.phase != Phase.WAITING) busy--;
    }
}
