package org.screening.outreach.intake;

import org.screening.outreach.domain.KnownPerson;
import org.screening.outreach.domain.RiskCase;

/**
 * A validated row on its way to the store: a risk person to screen, or a person a control list (category 已纳入管控)
 * says is already under control, who is recorded to match later pushes against and never screened. One of the
 * two is set.
 */
public record Candidate(RiskCase riskCase, KnownPerson underControl, boolean languageGiven) {
    /** A row without a language of its own (the case gets the default). */
    public static Candidate toScreen(RiskCase c) {
        return new Candidate(c, null, false);
    }

    /**
     * {@code languageGiven}: the row named the person's language, so a push merged into an open case sets the case's
     * language to it; a row that says nothing leaves the case's as it is.
     */
    public static Candidate toScreen(RiskCase c, boolean languageGiven) {
        return new Candidate(c, null, languageGiven);
    }

    public static Candidate controlListed(KnownPerson p) {
        return new Candidate(null, p, false);
    }

    public String externalId() {
        return riskCase != null ? riskCase.externalId() : underControl.externalId();
    }
}
