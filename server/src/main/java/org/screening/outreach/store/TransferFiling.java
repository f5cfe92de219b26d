package org.screening.outreach.store;

import java.util.List;
import org.screening.outreach.domain.Transfer;

/**
 * Whose task force a transfer is filed under, and whose row of the daily report its case counts in: its case's
 * jurisdiction, or, for a case pushed here that lies outside this deployment (handed over by
 * HandOverForeignCasesJob), the deployment's own code (OUTREACH_JURISDICTION as a 12-digit code). Such a case belongs
 * to no county of ours; the push reached the deployment as a whole, so its task force — the level of the deployment
 * itself — is the one that must chase the receipt, and reports it received and handed over.
 */
final class TransferFiling {
    private final String ownLike;
    private final String ownCode;

    TransferFiling(String ownPrefix) {
        this.ownLike = like(ownPrefix);
        this.ownCode = Transfer.fullCode(ownPrefix);
    }

    /** The filing jurisdiction as SQL over the case alias {@code c}; binds {@link #params()} in this order. */
    String sql() {
        return "IF(c.jurisdiction LIKE ?, c.jurisdiction, ?)";
    }

    List<Object> params() {
        return List.of(ownLike, ownCode);
    }

    /**
     * Cases filed within {@code prefix}, as SQL over the case alias {@code c} with its parameters: kept on the plain
     * jurisdiction where it can be (a county's report reads the county's index range), since a scope holds foreign
     * cases only when it holds the deployment's own code.
     */
    Where filedWithin(String prefix) {
        if (ownCode.startsWith(prefix)) {
            return new Where("(c.jurisdiction LIKE ? OR c.jurisdiction NOT LIKE ?)", List.of(like(prefix), ownLike));
        }
        return new Where("c.jurisdiction LIKE ? AND c.jurisdiction LIKE ?", List.of(like(prefix), ownLike));
    }

    record Where(String sql, List<Object> params) {}

    /** A LIKE pattern matching codes that start with {@code prefix} (its wildcards taken out). */
    static String like(String prefix) {
        return prefix.replace("%", "").replace("_", "") + "%";
    }
}
