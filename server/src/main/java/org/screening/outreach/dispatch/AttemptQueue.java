package org.screening.outreach.dispatch;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CapacityForecast;
import org.screening.outreach.domain.ChannelKind;

/**
 * The durable work of the dispatcher, shared by every server process on one database. Each method is one short
 * transaction; rows are claimed with SKIP LOCKED so nodes never wait on each other or take the same row.
 */
public interface AttemptQueue {

    /** Plans up to {@code limit} NEW cases, nearest deadline first: attempts inserted, case → CONTACTING. */
    int planNewCases(Instant now, int limit);

    /** Claims up to {@code limit} due attempts of a kind, nearest case deadline first, leased until a time. */
    List<OutboundAttempt> claim(ChannelKind kind, Instant now, int limit, String owner, Instant leaseUntil);

    /**
     * Applies an outcome once: later deliveries of the same attempt change nothing and return false. A call
     * that reached the person makes the case REACHED; one that did not plans the next call, if any.
     * One exception: a delivery receipt for a text already settled as FAILED (given up as "may have gone" when
     * Twilio's answer never came) is the provider's word that it did go; it is recorded once, as a late
     * {@code SMS_DELIVERED}, and returns true. The plan that moved on is left as it is.
     */
    boolean complete(long attemptId, AttemptOutcome outcome, Map<String, Object> details, Instant now);

    /**
     * The provider took a claimed attempt and will call back: it leaves the lease (the reaper must not hand it out
     * again — that would send twice) and keeps the provider's reference. False if it was not claimed any more.
     */
    boolean markSent(long attemptId, String providerRef, Instant now);

    /** Appends an event to the ledger of the attempt's case (e.g. a switch of provider). */
    void note(long attemptId, String type, Map<String, Object> data, Instant now);

    /** Calls the provider took before {@code before} and has not reported on yet, oldest first. */
    List<Long> callsSentBefore(Instant before, int limit);

    /** Returns attempts whose lease ran out (their node died) to the queue; how many. */
    int reapExpiredLeases(Instant now);

    /**
     * Returns attempts of a kind that {@code owner} claimed and still holds (not taken by the provider, no outcome)
     * to the queue, lease or not: that node is stopping; how many.
     */
    int returnClaims(ChannelKind kind, String owner);

    /** Hands cases not reached by their escalation point to a door knock; how many. */
    int escalateDue(Instant now, int limit);

    /** The next planned call of every case awaiting contact, nearest deadline first (the dispatcher's order). */
    List<CapacityForecast.Waiting> waitingCalls(int limit);

    /** Door knocks for capacity shortfall among cases that {@code source} pushed since {@code since}. */
    int countShortfall(String source, Instant since);

    /** Hands these cases to a door knock now, if still awaiting contact (reason: capacity shortfall); how many. */
    int escalateNow(List<String> caseIds, String reason, Instant now);
}
