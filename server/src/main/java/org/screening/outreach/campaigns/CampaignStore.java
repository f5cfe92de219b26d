package org.screening.outreach.campaigns;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable state of campaigns (MySQL in store/JdbcCampaigns). Each method is one short transaction; recipients
 * are claimed with SKIP LOCKED under a lease, so several server processes can send one campaign together.
 */
public interface CampaignStore {

    /** A new campaign in IMPORTING; its id. */
    long create(NewCampaign campaign, Instant now);

    /** Adds numbers (E.164) as PENDING recipients; a number already in the campaign is skipped. How many were new. */
    int addRecipients(long campaignId, List<String> phones);

    void addInvalidRows(long campaignId, List<InvalidRow> rows);

    /**
     * Ends the import: keeps the row counts, marks recipients on the opt-out list OPTED_OUT and moves the campaign
     * to RUNNING. Returns how many were opted out.
     */
    int finishImport(long campaignId, int totalRows, int invalidRows, int duplicateRows, Instant now);

    /** Removes a campaign whose import failed, with its rows. */
    void delete(long campaignId);

    /** The import of this campaign is alive: it just wrote a batch. */
    void importSeen(long campaignId, Instant now);

    /** Campaigns still IMPORTING whose import was last seen before {@code before} (their node died mid-file). */
    List<Long> abandonedImports(Instant before);

    Optional<Campaign> find(long campaignId);

    /** Recipients per status (absent statuses have none), counted now: a campaign's own view. */
    Map<RecipientStatus, Long> counts(long campaignId);

    /**
     * Counts the campaign's recipients and keeps the figures as of {@code at} (taken before the count) for
     * {@link #list}, unless figures counted later, or its last ones ({@link RecipientCounts#lastFor}), are kept
     * already: nodes counting at once never put older figures over newer ones, and each keeps whole figures, never
     * adds to them. False when nothing was kept (also for no such campaign).
     */
    boolean recount(long campaignId, Instant at);

    /** Campaigns whose kept counts go stale: running and paused ones, and ended ones whose last figures are not kept yet. */
    List<Long> countsDue();

    /** Invalid rows after row {@code afterRow}, in row order. */
    List<InvalidRow> invalidRows(long campaignId, int afterRow, int limit);

    /**
     * Moves the campaign from one status to another if it is still in {@code from}; keeps the running time, and on
     * CANCELLED the recipients still PENDING become CANCELLED (after the status, see {@link #cancelQueue}); on
     * COMPLETED or CANCELLED the counts are kept once more after that ({@link #recount}), so the list shows how the
     * campaign ended without waiting for the counts job. False if
     * the campaign was not in {@code from}. Takes the campaign row's lock first, so it runs after a {@link #claim} or
     * {@link #reapExpiredLeases} under way, and one that starts meanwhile waits for it.
     */
    boolean move(long campaignId, CampaignStatus from, CampaignStatus to, Instant now);

    /** A campaign as the list shows it: with the counts last kept for it ({@link #recount}), not counted now. */
    record Listed(Campaign campaign, RecipientCounts counts) {}

    /**
     * Campaigns made under a jurisdiction prefix (the creator's scope starts with it), newest first, ids below
     * {@code beforeId}, with their kept counts: one read of the campaign rows, no recipient counted.
     */
    List<Listed> list(String jurisdictionPrefix, long beforeId, int limit);

    /** Campaigns in RUNNING, oldest first. */
    List<Campaign> running();

    /**
     * Claims up to {@code limit} PENDING recipients of a campaign with ids above {@code afterId}, in row order,
     * leased until {@code leaseUntil}; those found on the opt-out list meanwhile become OPTED_OUT and are not
     * returned. Nothing unless the campaign is RUNNING (read under the campaign row's lock, see {@link #move}): once
     * a pause or cancel is answered, no claim takes more. The caller keeps {@code afterId} as a cursor: a queue scan
     * from the start would wade through the index entries of every recipient already sent (InnoDB purges them late)
     * and slow down as the campaign goes.
     */
    List<Recipient> claim(long campaignId, long afterId, int limit, Instant leaseUntil);

    /**
     * Applies a provider status if it moves the recipient forward (see {@link RecipientStatus}); the provider's
     * reference and error code are kept when given. A delivery receipt also replaces a FAILED or CANCELLED recorded
     * with {@link #MAYBE_SENT}: that word was ours, and the text did go; so does a failure with the provider's error
     * code (it got the text and says why it failed). False when stale or unknown.
     */
    boolean advance(long recipientId, RecipientStatus to, String providerRef, String errorCode);

    /**
     * Recipients handed to the adapter whose requests never went out (their campaign was paused or cancelled while
     * they waited for a sender): SENDING back to PENDING, or to CANCELLED in a cancelled campaign. Others unchanged.
     */
    void requeue(List<Long> recipientIds);

    /** The error code of a text given up because Twilio's answer never came: it may have gone (see {@link #advance}). */
    String MAYBE_SENT = "MAYBE_SENT";

    /** One provider status for a recipient, for {@link #advanceAll}. */
    record Advance(long recipientId, RecipientStatus to, String providerRef, String errorCode) {}

    /** {@link #advance} for many recipients in one transaction (the sender's outcomes come thousands a second). */
    void advanceAll(java.util.List<Advance> advances);

    /**
     * Recipients of a cancelled campaign still PENDING become CANCELLED, in short transactions (a campaign may queue
     * a million); how many. {@link #move} to CANCELLED does it; the lease job finishes what a stopped node left.
     */
    long cancelQueue(long campaignId);

    /**
     * Campaigns running, paused or cancelled with a recipient whose lease ran out before {@code now}, and cancelled
     * ones with recipients still PENDING.
     */
    List<Long> withExpiredLeases(Instant now);

    /**
     * Ends the leases that ran out (the node died mid-send, or Twilio's retries ran out and nothing went): back to
     * PENDING while the campaign runs or is paused, so it is sent (again after a resume); CANCELLED once the
     * campaign is (recorded {@link #MAYBE_SENT}: a receipt may still show it went). How many. The status is read under the campaign row's lock (see {@link #move}).
     */
    int reapExpiredLeases(long campaignId, Instant now);

    /** RUNNING → COMPLETED when nothing is PENDING or SENDING any more. */
    boolean completeIfDone(long campaignId, Instant now);
}
