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
 * database). A call whose Originate got no response before the AMI link dropped is {@code LOST}: the attempt,
 * marked dialling, is settled as unreported unless an OriginateResponse still comes for it once the link is back, or
 * its AGI session starts here, which proves it was answered. An answered call without an AGI session here when the
 * link dropped stays answered, its end unsure: its Hangup seen once the link is back settles it as usual.
 *
 * <p>Whatever is unsure keeps its channel slot until its end is known (an OriginateResponse, a Hangup, the end of its
 * AGI session) or until no call can still be running ({@link #releaseLost}, after ringing plus the call limit): the
 * PBX still carries the call, and a slot freed early would let this node place more calls than the PBX allows.
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
        /** Answered, without an AGI session here, when the AMI link dropped: its Hangup may have gone with it. */
        boolean endUnsure;

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

    /**
     * After the AMI link dropped: calls now {@code LOST}, answered calls whose end is now unsure (both keep their
     * slots until their end is known), and queued calls never dialled.
     */
    record LinkLoss(List<Call> lost, List<Call> unsure, List<Call> undialled) {}

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

    /** Whether this node took the attempt: tracked now, or remembered as dialled. */
    synchronized boolean knows(long attemptId) {
        return byAttempt.containsKey(attemptId) || dialled.containsKey(attemptId);
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

    /**
     * A call still waiting for a free channel gives up (it could not start in time): out of the queue, never
     * dialled, so the attempt may be dialled later. Empty when it got a channel meanwhile or is gone.
     */
    synchronized Optional<Call> giveUp(long attemptId) {
        Call c = byAttempt.get(attemptId);
        if (c == null || c.phase != Phase.WAITING) return Optional.empty();
        waiting.remove(c);
        byAttempt.remove(attemptId);
        return Optional.of(c);
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
        List<Call> unsure = new ArrayList<>();
        for (Call c : byAttempt.values()) {
            if (c.phase == Phase.DIALLING) {
                c.phase = Phase.LOST;
                lost.add(c);
            } else if (c.phase == Phase.ANSWERED && !c.agiRunning && !c.endUnsure) {
                c.endUnsure = true; // its Hangup event may be gone; one seen once the link is back still settles it
                unsure.add(c);
            }
        }
        List<Call> undialled = new ArrayList<>(waiting);
        waiting.clear();
        undialled.forEach(c -> byAttempt.remove(c.id()));
        return new LinkLoss(lost, unsure, undialled);
    }

    /**
     * Frees the channel of a call whose end never became known (still {@code LOST}, or answered with its end unsure
     * and no AGI session here), once no call can still be running: not reported, the attempt is settled as
     * unreported. False when its end became known meanwhile or it is gone.
     */
    synchronized boolean releaseLost(long attemptId) {
        Call c = byAttempt.get(attemptId);
        if (c == null || !endUnknown(c)) return false;
        remove(c);
        return true;
    }

    /** Whether some call's end is unknown (lost with the AMI link): worth asking the PBX which channels are up. */
    synchronized boolean endsUnknown() {
        return byAttempt.values().stream().anyMatch(LiveCalls::endUnknown);
    }

    private static boolean endUnknown(Call c) {
        return c.phase == Phase.LOST || (c.phase == Phase.ANSWERED && c.endUnsure && !c.agiRunning);
    }

    /**
     * The PBX's list of its channels up now ({@code live}: attempt id → channel Uniqueid), once the link is back:
     * a call whose end was unknown and has no channel any more ended while the link was down, and its slot is free
     * (unreported: the attempt is settled as unreported); one still up is tied to its channel, whose Hangup will be
     * seen. The attempt ids whose slots were freed.
     */
    synchronized List<Long> reconcile(Map<Long, String> live) {
        List<Long> freed = new ArrayList<>();
        for (Call c : List.copyOf(byAttempt.values())) {
            if (!endUnknown(c)) continue;
            String channel = live.get(c.id());
            if (channel == null) {
                remove(c);
                freed.add(c.id());
            } else if (!channel.isBlank()) {
                if (c.uniqueId != null && !c.uniqueId.equals(channel)) byUniqueId.remove(c.uniqueId);
                c.uniqueId = channel;
                byUniqueId.put(channel, c);
                c.endUnsure = false;
            }
        }
        return freed;
    }

    /**
     * OriginateResponse with a reason other than answered: the call is over, its slot free; report it (also a
     * {@code LOST} call whose response came once the link was back), unless it was disowned.
     */
    synchronized Optional<Call> unanswered(long attemptId) {
        Call c = byAttempt.get(attemptId);
        if (c == null || (c.phase != Phase.DIALLING && c.phase != Phase.LOST)) return Optional.empty();
        remove(c);
        return c.disowned ? Optional.empty() : Optional.of(c);
    }

    /**
     * OriginateResponse reason 4: the callee picked up; the call is settled when it ends. A disowned {@code LOST}
     * call stays lost (never reported), but its Hangup now frees its slot.
     */
    synchronized void answered(long attemptId, String uniqueId, Instant at) {
        Call c = byAttempt.get(attemptId);
        if (c == null || c.phase == Phase.WAITING) return;
        if (!c.disowned) c.phase = Phase.ANSWERED;
        c.endUnsure = false; // the link is up: its Hangup will be seen
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

    /**
     * AMI Hangup of a channel: settles its call unless the call's AGI session is still running here. A disowned call
     * only gets its slot back, unreported.
     */
    synchronized Optional<Ended> hungUp(String uniqueId, Instant at) {
        Call c = uniqueId == null ? null : byUniqueId.get(uniqueId);
        if (c == null || c.agiRunning) return Optional.empty();
        if (c.phase == Phase.LOST) {
            remove(c);
            return Optional.empty();
        }
        if (c.phase != Phase.ANSWERED) return Optional.empty();
        remove(c);
        return Optional.of(new Ended(c, c.answeredAt, at, false));
    }

    /** The attempt of a call this node tracks. */
    synchronized Optional<OutboundAttempt> attempt(long attemptId) {
        return Optional.ofNullable(byAttempt.get(attemptId)).map(c -> c.attempt);
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
