package org.screening.outreach.privacy;

import java.util.List;

/**
 * What the store needs to keep ID numbers at rest: the cipher of stored values and the blind index of equality
 * lookups. {@link #unavailable()} is for tools and tests whose database holds no ID numbers: using it fails.
 */
public final class IdNumbers {
    private final IdNumberCipher cipher;
    private final BlindIndex index;

    public IdNumbers(IdNumberCipher cipher, BlindIndex index) {
        this.cipher = cipher;
        this.index = index;
    }

    /** Keys as configured: the current encryption key, old ones (decrypt only), the index key; raw bytes. */
    public static IdNumbers of(byte[] key, List<byte[]> oldKeys, byte[] indexKey) {
        return new IdNumbers(new IdNumberCipher(IdKey.of(key), oldKeys.stream().map(IdKey::of).toList()),
                new BlindIndex(indexKey));
    }

    public static IdNumbers unavailable() {
        return new IdNumbers(null, null);
    }

    public IdNumberCipher cipher() {
        if (cipher == null) throw new IllegalStateException("this database was opened without ID number keys");
        return cipher;
    }

    public BlindIndex index() {
        if (index == null) throw new IllegalStateException("this database was opened without ID number keys");
        return index;
    }

    /** The stored form of {@code idNumber}; null stays null without needing keys. */
    public String seal(String idNumber) {
        return idNumber == null ? null : cipher().seal(idNumber);
    }

    /** The index value of {@code idNumber}; null stays null without needing keys. */
    public byte[] indexOf(String idNumber) {
        return idNumber == null ? null : index().of(idNumber);
    }

    /** The ID number of a stored value; null stays null without needing keys. */
    public String open(String stored) {
        return stored == null ? null : cipher().open(stored);
    }

    @Override
    public String toString() {
        return "IdNumbers[" + cipher + ", " + index + "]";
    }
}
