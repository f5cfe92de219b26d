package org.screening.outreach.support;

import java.util.Arrays;
import java.util.List;

/**
 * Fixed ID number keys of the tests' databases, so every connection of a test (and every node) reads the same rows;
 * and the self-report link key all nodes of one database share.
 */
public final class TestIdKeys {
    private TestIdKeys() {}

    public static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    /** The self-report link key of {@link #settings()}. */
    public static byte[] reportKey() {
        return key(3);
    }

    /**
     * The same keys as server settings: a test that starts a server on a {@link MariaDbExtension} schema and also
     * writes ID numbers through the schema's own connection gives the server these, or each reads the other's as
     * unreadable. Servers with data dirs of their own on one schema need them too: keys generated into each data dir
     * differ, and the second server would refuse to start.
     */
    public static java.util.Map<String, String> settings() {
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder();
        return java.util.Map.of("OUTREACH_ID_KEY", b64.encodeToString(key(1)), "OUTREACH_ID_INDEX_KEY",
                b64.encodeToString(key(2)), "OUTREACH_REPORT_KEY", b64.encodeToString(reportKey()));
    }

    public static org.screening.outreach.privacy.IdNumbers keys() {
        return org.screening.outreach.privacy.IdNumbers.of(key(1), List.of(), key(2));
    }
}
