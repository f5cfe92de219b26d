package org.screening.outreach.ledger.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the feed needs from the database (implemented in store/JdbcLedgerFeed*). */
public interface LedgerFeedStore {

    /**
     * One scan step of {@code destination}: reads up to {@code limit} ledger events after its watermark, moves the
     * watermark as {@link WatermarkWalk} allows and marks the cases of the events passed as having something to send.
     * Returns how many events it passed; 0 also when another node is scanning this destination right now.
     */
    int scan(String destination, Instant now, Duration gapGrace, int limit);

    /**
     * Deletes up to {@code limit} cursors that owe their destination nothing and were last claimed before
     * {@code idleBefore}; how many. A later event of such a case starts a new cursor just below itself, so nothing
     * already delivered is sent again.
     */
    int prune(Instant idleBefore, int limit);

    /**
     * Claims up to {@code cases} cursors with something due, skipping those another node holds, leased until
     * {@code leaseUntil}; each with up to {@code eventsPerCase} of its waiting events, oldest first.
     */
    List<CursorClaim> claim(Instant now, Instant leaseUntil, int cases, int eventsPerCase);

    /** Applies a run's result; false when the claim was lost (lease ran out and another node took the cursor). */
    boolean settle(Settlement s);

    /** Deliveries in {@code status} of cases under {@code jurisdictionPrefix}, by id after {@code afterId}. */
    List<Delivery> list(String status, String jurisdictionPrefix, long afterId, int limit);

    Optional<Delivery> find(long id, String jurisdictionPrefix);

    /** Puts a FAILED delivery back in the queue with a fresh retry horizon; false if it was not FAILED. */
    boolean retry(long id, String jurisdictionPrefix, Instant now);

    /**
     * Gives up on the event a FAILED delivery is parked on (the receiver will never take it): the cursor moves past
     * it, the case's later events flow again, and {@code record} — the case's ledger event saying so — is written in
     * the same transaction (it is delivered like any other event). False if the delivery is not FAILED on event
     * {@code headSeq} any more.
     */
    boolean skip(long id, String jurisdictionPrefix, long headSeq, org.screening.outreach.domain.LedgerEvent record,
                 Instant now);

    /** {@link #retry} for every FAILED delivery under the prefix; how many. */
    int retryAll(String jurisdictionPrefix, Instant now);

    FeedCounts counts();
}
