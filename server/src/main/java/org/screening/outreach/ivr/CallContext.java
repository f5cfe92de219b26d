package org.screening.outreach.ivr;

import org.screening.outreach.domain.Masking;

/**
 * What the script may say about the case: the community's name (as people call it, not its code), the division
 * code that name is registered under (empty when none is: it names the community's recording on a PBX), and the
 * person's name. Given per request by the caller, never stored in the session, so the session row holds no
 * personal data beyond the answers.
 */
public record CallContext(String community, String personName, String communityCode) {
    public CallContext {
        community = community == null ? "" : community;
        personName = personName == null ? "" : personName;
        communityCode = communityCode == null ? "" : communityCode;
    }

    /** A context whose community has no registered name (the simulator, tests). */
    public CallContext(String community, String personName) {
        this(community, personName, "");
    }

    /**
     * {@code ${name}} is masked: whoever picks up may not be the person (the first question asks exactly that),
     * so only the family name's first character is spoken — {@link Masking#name} without its asterisks, which
     * text-to-speech would read out.
     */
    public String spokenName() {
        return Masking.name(personName).replace("*", "");
    }
}
