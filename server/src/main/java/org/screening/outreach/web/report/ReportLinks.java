package org.screening.outreach.web.report;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.screening.outreach.privacy.IdKey;

/**
 * The self-report link put into SMS reminders: {@code OUTREACH_PUBLIC_URL + /r/{token}} with
 * {@code token = caseId "." expiry "." mac}: the expiry is epoch seconds in base 36 and the mac is the first
 * 16 bytes of HMAC-SHA256 over a versioned string of both, base64url without padding. About 57 characters for
 * a ULID case id, URL-safe, nothing to look up in the database before refusing a forged link. 128 bits of mac
 * are far beyond guessing; the full 32 bytes would cost 21 more characters in every SMS.
 */
public final class ReportLinks {
    /** Why a token was refused; the page shows the same message for all, the log may tell them apart. */
    public enum Reason { MALFORMED, TAMPERED, EXPIRED }

    /** The outcome of {@link #verify}: a case id, or a reason. */
    public sealed interface Verification permits Valid, Invalid {}

    public record Valid(String caseId, Instant expiresAt) implements Verification {}

    public record Invalid(Reason reason) implements Verification {}

    private static final int MAC_BYTES = 16;
    private static final int MIN_KEY_BYTES = 32;
    private static final Pattern CASE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern EXPIRY = Pattern.compile("[0-9a-z]{1,12}");
    private static final Pattern MAC = Pattern.compile("[A-Za-z0-9_-]{22}");
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final String publicUrl;
    private final SecretKeySpec key;
    private final String keyId;
    private final Clock clock;
    private final Duration ttl;

    /**
     * @param publicUrl OUTREACH_PUBLIC_URL (a trailing slash is dropped)
     * @param key       at least 32 random bytes, kept by the server (see {@link #newKey()})
     * @param ttl       how long a link stays valid after it is made; it should outlive the case's deadline
     */
    public ReportLinks(String publicUrl, byte[] key, Clock clock, Duration ttl) {
        if (key == null || key.length < MIN_KEY_BYTES) throw new IllegalArgumentException("report link key needs >= 32 bytes");
        if (ttl.isNegative() || ttl.isZero()) throw new IllegalArgumentException("ttl must be positive");
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        this.key = new SecretKeySpec(Arrays.copyOf(key, key.length), "HmacSHA256");
        this.keyId = IdKey.fingerprint("outreach-report-link-key", key, 8);
        this.clock = clock;
        this.ttl = ttl;
    }

    /** 32 fresh random bytes for a deployment that has no key yet; store them, or every sent link breaks. */
    public static byte[] newKey() {
        byte[] k = new byte[MIN_KEY_BYTES];
        new SecureRandom().nextBytes(k);
        return k;
    }

    /** The public name of the key (16 hex digits), stored so a node with another key refuses to start. */
    public String keyId() {
        return keyId;
    }

    /** The link for a case, valid for the configured time from now. */
    public String link(String caseId) {
        return publicUrl + "/r/" + token(caseId, clock.instant().plus(ttl));
    }

    public String token(String caseId, Instant expiresAt) {
        if (caseId == null || !CASE_ID.matcher(caseId).matches()) throw new IllegalArgumentException("case id not URL-safe");
        String expiry = Long.toString(expiresAt.getEpochSecond(), 36);
        return caseId + "." + expiry + "." + B64.encodeToString(mac(caseId, expiry));
    }

    /** Checks the mac first (constant time), so a changed expiry reads as tampering rather than as expired. */
    public Verification verify(String token, Instant now) {
        if (token == null || token.length() > 120) return new Invalid(Reason.MALFORMED);
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || !CASE_ID.matcher(parts[0]).matches() || !EXPIRY.matcher(parts[1]).matches()
                || !MAC.matcher(parts[2]).matches()) {
            return new Invalid(Reason.MALFORMED);
        }
        // Compare the text, not decoded bytes: base64 ignores the low bits of the last character, so decoding
        // would accept several spellings of one mac.
        byte[] expected = B64.encodeToString(mac(parts[0], parts[1])).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(parts[2].getBytes(StandardCharsets.US_ASCII), expected)) return new Invalid(Reason.TAMPERED);
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochSecond(Long.parseLong(parts[1], 36));
        } catch (RuntimeException e) { // only reachable with our own key and an absurd expiry
            return new Invalid(Reason.MALFORMED);
        }
        if (!now.isBefore(expiresAt)) return new Invalid(Reason.EXPIRED);
        return new Valid(parts[0], expiresAt);
    }

    private byte[] mac(String caseId, String expiry) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // Versioned input: a later token format can never collide with this one.
            byte[] full = mac.doFinal(("r1|" + caseId + "|" + expiry).getBytes(StandardCharsets.US_ASCII));
            return Arrays.copyOf(full, MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
