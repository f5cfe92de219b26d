package org.screening.outreach.web.auth;

import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.domain.Role;

/** Who is calling the API: the token's name, role and jurisdiction prefix (the scope of everything it does). */
public record Caller(long tokenId, String name, Role role, String jurisdictionPrefix, boolean admin) {
    public boolean covers(String jurisdiction) {
        return Jurisdiction.covers(jurisdictionPrefix, jurisdiction);
    }

    /** Ledger actor name; never the token itself. */
    public String actor() {
        return "token:" + name;
    }
}
