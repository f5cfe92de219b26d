package org.screening.outreach.ledger.feed;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Outreach-Signature: sha256=<hex>}: HMAC-SHA256 of the exact request body bytes under the shared key
 * (OUTREACH_LEDGER_KEY). The receiver recomputes it over the bytes it received, before parsing them.
 */
public final class FeedSignature {
    public static final String HEADER = "X-Outreach-Signature";
    private static final String PREFIX = "sha256=";
    private final SecretKeySpec key;

    public FeedSignature(byte[] key) {
        if (key == null || key.length < 32) throw new IllegalArgumentException("the ledger feed key needs at least 32 bytes");
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    public String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /**
     * Constant-time check, as a receiver written in Java would do it. Hex digits in either case: a peer whose library
     * prints upper-case hex signs the same bytes.
     */
    public boolean verify(byte[] body, String header) {
        return header != null && MessageDigest.isEqual(sign(body).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                header.strip().toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "FeedSignature[key=***]";
    }
}
