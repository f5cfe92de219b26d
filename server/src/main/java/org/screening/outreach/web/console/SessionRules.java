package org.screening.outreach.web.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/** The console's session and CSRF rules, apart from HTTP so they can be tested on their own. */
public final class SessionRules {
    /** A shift: after this a session ends whatever happens (a lost phone stays logged in no longer). */
    public static final Duration LIFETIME = Duration.ofHours(12);
    /** An unattended console ends after this long without a request. */
    public static final Duration IDLE = Duration.ofHours(2);
    /** last_seen is written at most this often, not on every page. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private SessionRules() {}

    /** 256 random bits, URL-safe (43 characters): session ids and CSRF tokens. */
    public static String newSecret() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** What the database keeps of a session id: its SHA-256, so a copy of the table opens nothing. */
    public static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A cookie value that can be a session id at all; anything else is not looked up. */
    public static boolean wellFormed(String secret) {
        return secret != null && secret.length() == 43
                && secret.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '-' || ch == '_');
    }

    /** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
    public static boolean csrfMatches(String expected, String given) {
        if (expected == null || given == null || expected.isEmpty()) return false;
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    public static boolean live(ConsoleSessions.Session s, Instant now) {
        return now.isBefore(s.expiresAt()) && now.isBefore(s.lastSeenAt().plus(IDLE));
    }

    public static boolean needsTouch(ConsoleSessions.Session s, Instant now) {
        return !now.isBefore(s.lastSeenAt().plus(TOUCH_EVERY));
    }

    /**
     * Where to go after login: only a path inside the console. Anything else (another host, "//evil", a backslash
     * that some browsers read as a slash) goes to the work list, so the login page is no open redirect.
     */
    public static String safeNext(String next) {
        if (next == null || !next.startsWith("/console") || next.startsWith("/console/login")
                || next.contains("//") || next.contains("\\") || next.chars().anyMatch(ch -> ch < 0x21)) {
            return "/console";
        }
        return next;
    }

    /** Cookies get Secure when the public URL is https (the console is then only reached through TLS). */
    public static boolean secureCookies(String publicUrl) {
        return publicUrl != null && publicUrl.regionMatches(true, 0, "https://", 0, 8);
    }
}
