package org.screening.outreach.privacy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * One AES-256 key of ID numbers and its id. The id is a fingerprint of the key (8 hex digits of a labelled
 * SHA-256), so operators configure bare keys and every stored value says which key opens it; it reveals nothing
 * usable about the key and may be logged. The key itself never appears in toString.
 */
public final class IdKey {
    private final String id;
    private final SecretKey secret;

    private IdKey(String id, SecretKey secret) {
        this.id = id;
        this.secret = secret;
    }

    /** {@code raw} must be 32 bytes (AES-256). */
    public static IdKey of(byte[] raw) {
        if (raw == null || raw.length != 32) throw new IllegalArgumentException("an ID number key is 32 bytes (AES-256)");
        return new IdKey(fingerprint("outreach-id-key", raw, 4), new SecretKeySpec(raw.clone(), "AES"));
    }

    public String id() {
        return id;
    }

    SecretKey secret() {
        return secret;
    }

    /** {@code bytes} bytes of SHA-256(label, 0, key) in hex: a key's public name. */
    public static String fingerprint(String label, byte[] key, int bytes) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(label.getBytes(StandardCharsets.US_ASCII));
            d.update((byte) 0);
            byte[] h = d.digest(key);
            return HexFormat.of().formatHex(h, 0, bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "IdKey[" + id + ", key=***]";
    }
}
