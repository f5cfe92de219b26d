package org.screening.outreach.privacy;

/** Re-encryption of ID numbers stored under old keys, a batch at a time (implemented by the store). */
public interface IdKeyRotation {
    /** Re-encrypts the next batch; how many rows, or -1 when there is nothing to do now. */
    int step();
}
