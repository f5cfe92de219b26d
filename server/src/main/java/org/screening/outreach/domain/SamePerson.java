package org.screening.outreach.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether a pushed row is the person of an open case on the same phone in the same community, and whether it is new
 * risk for them. A family shares one phone, so the phone alone does not say: two different ID numbers are two
 * people, and so are two different names when at least one ID number is missing. A row that names nobody (no ID
 * number, no name on one side) cannot be told apart and is taken as the same person, as before.
 */
public final class SamePerson {
    private SamePerson() {}

    public static boolean of(String nameA, String idNumberA, String nameB, String idNumberB) {
        if (idNumberA != null && idNumberB != null) return idNumberA.equalsIgnoreCase(idNumberB);
        String a = ControlMatch.nameKey(nameA);
        String b = ControlMatch.nameKey(nameB);
        return a.isEmpty() || b.isEmpty() || a.equals(b);
    }

    /**
     * A push of a verified person is new risk when its category gives less time than the one they were verified
     * under (yellow code verified, now red code): they are screened again in a new case instead of being merged
     * into the verified one. A push as strict or looser is the same list again.
     */
    public static boolean newRisk(CaseStatus openStatus, Instant openReceived, Instant openDeadline, RiskCase push) {
        if (openStatus != CaseStatus.VERIFIED) return false;
        Duration verifiedUnder = Duration.between(openReceived, openDeadline);
        return Duration.between(push.receivedAt(), push.deadlineAt()).compareTo(verifiedUnder) < 0;
    }
}
