package org.screening.outreach.web.console;

import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.domain.Role;

/**
 * A logged-in staff member: the same role and jurisdiction prefix as an API token ({@code web/auth/Caller}), so the
 * console scopes every page and action exactly as the API does.
 */
public record StaffUser(long accountId, String username, String displayName, Role role, String jurisdictionPrefix,
                        boolean admin) {
    public boolean covers(String jurisdiction) {
        return Jurisdiction.covers(jurisdictionPrefix, jurisdiction);
    }

    /** Campaigns go to the whole province: only province accounts run them, as only province tokens may. */
    public boolean mayRunCampaigns() {
        return role == Role.PROVINCE;
    }

    /** Ledger actor name: who did it, never a secret. */
    public String actor() {
        return "staff:" + username;
    }
}
