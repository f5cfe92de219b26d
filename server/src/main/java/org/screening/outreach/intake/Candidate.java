package org.screening.outreach.intake;

import org.screening.outreach.domain.KnownPerson;
import org.screening.outreach.domain.RiskCase;

/**
 * A validated row on its way to the store: a risk person to screen, or a person a control list (category 已纳入管控)
 * says is already under control, who is recorded to match later pushes against and never screened. One of the
 * two is set.
 */
public record Candidate(RiskCase riskCase, KnownPerson underControl) {
    public static Candidate toScreen(RiskCase c) {
        return new Candidate(c, null);
    }

    public static Candidate controlListed(KnownPerson p) {
        return new Candidate(null, p);
    }

    public String externalId() {
        return riskCase != null ? riskCase.externalId() : underControl.externalId();
    }
}
