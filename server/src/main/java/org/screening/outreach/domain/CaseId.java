package org.screening.outreach.domain;

import java.security.SecureRandom;
import java.time.Instant;

/**
 * Case ids are generated here, not by the database, so several nodes and multi-row inserts need no round trip:
 * 10 characters of millisecond time then 16 random ones (Crockford base32, a ULID). Within one millisecond the
 * random part counts up, so ids of one process sort in the order cases were received.
 */
public final class CaseId {
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final String ALPHABET_STRING = new String(ALPHABET);
    private static final long MASK_40 = (1L << 40) - 1;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis = -1;
    private static long hi;
    private static long lo;

    private CaseId() {}

    public static String next(Instant now) {
        long t = now.toEpochMilli();
        long h;
        long l;
        synchronized (CaseId.class) {
            if (t <= lastMillis) {
                t = lastMillis; // a clock set back must not break the order
                lo = (lo + 1) & MASK_40;
                if (lo == 0) hi = (hi + 1) & MASK_40;
            } else {
                lastMillis = t;
                hi = RANDOM.nextLong() & MASK_40 >>> 1; // headroom so counting up never wraps in practice
                lo = RANDOM.nextLong() & MASK_40;
            }
            h = hi;
            l = lo;
        }
        char[] out = new char[26];
        for (int i = 9; i >= 0; i--, t >>>= 5) out[i] = ALPHABET[(int) (t & 31)];
        for (int i = 17; i >= 10; i--, h >>>= 5) out[i] = ALPHABET[(int) (h & 31)];
        for (int i = 25; i >= 18; i--, l >>>= 5) out[i] = ALPHABET[(int) (l & 31)];
        return new String(out);
    }

    public static boolean looksValid(String s) {
        if (s == null || s.length() != 26) return false;
        for (int i = 0; i < 26; i++) {
            if (ALPHABET_STRING.indexOf(s.charAt(i)) < 0) return false;
        }
        return true;
    }
}
