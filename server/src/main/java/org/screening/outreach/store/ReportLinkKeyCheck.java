package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Start-up check of the self-report link key: the first node records its key's fingerprint, and a node with another
 * key refuses to start, since behind a load balancer it would refuse about half the links people open.
 */
public final class ReportLinkKeyCheck {
    private ReportLinkKeyCheck() {}

    /** {@code keyId} is the key's public fingerprint. */
    public static void run(Database db, String keyId) {
        String recorded;
        try (Connection c = db.connection()) {
            recorded = KeyFingerprints.recordFirst(c, "report_link_key", keyId);
        } catch (SQLException e) {
            throw new StoreException("checking the self-report link key against the database failed", e);
        }
        if (!recorded.equals(keyId)) {
            throw new IllegalStateException("this node's self-report link key (OUTREACH_REPORT_KEY, or if unset the key "
                    + "generated into <data dir>/report-link.key; fingerprint " + keyId + ") is not the one the other "
                    + "nodes sign links with (fingerprint " + recorded + "): every node needs the same "
                    + "OUTREACH_REPORT_KEY, or links sent by one are refused by the others. A node that ran without it "
                    + "keeps its key in its report-link.key, in the same base64 form. To change the key on purpose "
                    + "(every link already sent stops working): give all nodes the new key, stop them, "
                    + "DELETE FROM report_link_key, start them (see deploy/OPERATIONS.md, Secrets)");
        }
    }
}
