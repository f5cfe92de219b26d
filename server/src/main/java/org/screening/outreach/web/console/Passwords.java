package org.screening.outreach.web.console;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * bcrypt through at.favre.lib (salt and cost live in the stored string). CPU-heavy on purpose: call it on a
 * worker thread, never on an event loop.
 */
public final class Passwords {
    /** Fewer characters than this are refused when an account is made. */
    public static final int MIN_LENGTH = 10;
    /** bcrypt reads only 72 bytes; longer passwords are refused rather than silently cut. */
    public static final int MAX_BYTES = 72;
    private final int cost;
    private final String dummyHash;

    public Passwords(int cost) {
        this.cost = cost;
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        // Checked against for unknown usernames so that a missing account costs as long as a wrong password.
        this.dummyHash = hash(Base64.getEncoder().encodeToString(random));
    }

    public String hash(String password) {
        return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
    }

    /** False for a wrong or overlong password or a damaged stored string; never throws for bad input. */
    public boolean matches(String password, String storedHash) {
        if (password == null || storedHash == null || tooLong(password)) return false;
        try {
            return BCrypt.verifyer().verify(password.toCharArray(), storedHash).verified;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Spends the time of one check and answers false (an unknown username must not answer faster). */
    public boolean matchesNothing(String password) {
        matches(password == null || tooLong(password) ? "x" : password, dummyHash);
        return false;
    }

    public static boolean tooLong(String password) {
        return password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES;
    }
}
