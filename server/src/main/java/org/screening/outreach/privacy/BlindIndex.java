package org.screening.outreach.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The equality index of ID numbers: HMAC-SHA256 of the normalised number (trimmed, upper case) under a key of its
 * own, cut to 16 bytes. Equal numbers give equal values, so intake finds people by ID number with an indexed IN
 * list; without the key nobody can test guesses against it (an ID number has few enough possible values to try
 * them all against a plain hash). Its key is separate from the encryption keys so that rotating those leaves the
 * index as it is. A rare collision of two numbers only adds a candidate; matching compares the decrypted numbers.
 */
public final class BlindIndex {
    static final int BYTES = 16;
    private final String keyId;
    private final ThreadLocal<Mac> mac;

    public BlindIndex(byte[] key) {
        if (key == null || key.length < 32) throw new IllegalArgumentException("the ID number index key is at least 32 bytes");
        SecretKeySpec spec = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.keyId = IdKey.fingerprint("outreach-id-index-key", key, 8);
        // Mac objects are not thread-safe; one per thread, keyed once.
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
            }
        });
    }

    /** The public name of the index key (16 hex digits), stored so a node with another index key refuses to start. */
    public String keyId() {
        return keyId;
    }

    /** The index value of {@code idNumber} (null stays null). */
    public byte[] of(String idNumber) {
        if (idNumber == null) return null;
        byte[] h = mac.get().doFinal(idNumber.strip().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        return Arrays.copyOf(h, BYTES);
    }

    @Override
    public String toString() {
        return "BlindIndex[" + keyId + ", key=***]";
    }
}
