package org.screening.outreach.domain;

/**
 * What the dispatcher should do with the case after the first-check call (issue 5). The IVR only advises; the
 * case's status machine and the ledger decide what is allowed.
 */
public enum FollowUp {
    /** The person confirmed they use the number: the case is REACHED. */
    MARK_REACHED,
    /** Confirmed, in the city, nothing to flag, every question answered: VERIFIED with method "phone". */
    VERIFY_BY_PHONE,
    /** "Not the user of this number": the number is wrong, so a door knock re-verifies who and where the person is. */
    REVERIFY_DOOR_KNOCK,
    /** "Not in the city": a transfer to the home jurisdiction is flagged (Sichuan §3: pushed on within 1 hour). */
    FLAG_TRANSFER,
    /** Travel in the last 7 days, a red/yellow code, or answers missing: the community follows up with the answers. */
    FLAG_COMMUNITY,
    /** Nobody confirmed who picked up (no keys, or hung up at once): count it as not reached for the retry plan. */
    CALL_AGAIN
}
