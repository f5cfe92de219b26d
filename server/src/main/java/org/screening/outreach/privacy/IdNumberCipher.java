package org.screening.outreach.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM of ID numbers at rest. A stored value is {@code 1:<key id>:<base64url(nonce ‖ ciphertext ‖ tag)>}
 * with a fresh random 96-bit nonce per value; the header ("1:<key id>") is authenticated data, so a value cannot be
 * relabelled to another key. New values use the current key; old keys only open values written under them, until
 * the rotation job has re-encrypted those.
 */
public final class IdNumberCipher {
    static final String VERSION = "1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    // Cipher objects are not thread-safe and costly to look up; one per thread, initialised per value.
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    });

    private final IdKey current;
    private final Map<String, IdKey> byId = new LinkedHashMap<>();

    public IdNumberCipher(IdKey current, List<IdKey> old) {
        this.current = current;
        byId.put(current.id(), current);
        for (IdKey k : old) {
            if (byId.putIfAbsent(k.id(), k) != null) {
                throw new IllegalArgumentException("ID number key " + k.id() + " is given twice");
            }
        }
    }

    /** The id of the key new values are written under. */
    public String currentKeyId() {
        return current.id();
    }

    /** Whether keys other than the current one are configured (a rotation is under way). */
    public boolean hasOldKeys() {
        return byId.size() > 1;
    }

    /** Whether values under this key id can be opened. */
    public boolean knows(String keyId) {
        return byId.containsKey(keyId);
    }

    /** The stored form of {@code idNumber} (null stays null). */
    public String seal(String idNumber) {
        if (idNumber == null) return null;
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        String header = VERSION + ":" + current.id();
        try {
            Cipher c = GCM.get();
            c.init(Cipher.ENCRYPT_MODE, current.secret(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(header.getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = c.doFinal(idNumber.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return header + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** The ID number in a stored value (null stays null); {@link Unreadable} when the key is unknown or it was altered. */
    public String open(String stored) {
        if (stored == null) return null;
        String keyId = keyIdOf(stored);
        IdKey key = byId.get(keyId);
        if (key == null) throw new Unreadable("written under ID number key " + keyId + ", which is not configured");
        byte[] in;
        try {
            in = Base64.getUrlDecoder().decode(stored.substring(VERSION.length() + keyId.length() + 2));
        } catch (IllegalArgumentException e) {
            throw new Unreadable("not a stored ID number");
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) throw new Unreadable("not a stored ID number");
        try {
            Cipher c = GCM.get();
            c.init(Cipher.DECRYPT_MODE, key.secret(), new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD((VERSION + ":" + keyId).getBytes(StandardCharsets.US_ASCII));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new Unreadable("altered, or not written under key " + keyId);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    /** The key id a stored value names; {@link Unreadable} when it is not a stored value of this format. */
    public static String keyIdOf(String stored) {
        int first = stored.indexOf(':');
        int second = first < 0 ? -1 : stored.indexOf(':', first + 1);
        if (second < 0 || !stored.substring(0, first).equals(VERSION)) throw new Unreadable("not a stored ID number");
        return stored.substring(first + 1, second);
    }

    /** Whether a stored value is under the current key (else the rotation job re-encrypts it). */
    public boolean isCurrent(String stored) {
        return stored.startsWith(VERSION + ":" + current.id() + ":");
    }

    /** A stored value that cannot be opened: its key is not configured, or it was altered. Never holds the value. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message);
        }
    }

    @Override
    public String toString() {
        return "IdNumberCipher[current=" + current.id() + ", keys=" + byId.keySet() + "]";
    }
}
