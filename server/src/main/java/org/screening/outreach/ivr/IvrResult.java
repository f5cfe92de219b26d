package org.screening.outreach.ivr;

import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import org.screening.outreach.domain.FirstCheck;
import org.screening.outreach.domain.FollowUp;
import org.screening.outreach.domain.HealthCode;

/**
 * The outcome of a first-check call: how the call ended plus what the answers say ({@link FirstCheck} holds the
 * rules, shared with calls whose answers arrive from a provider at once).
 */
public record IvrResult(IvrSession.Status ended, Boolean identityConfirmed, Boolean inCity, Boolean travelLast7Days,
                        LocalDate arrivalDate, HealthCode healthCode, Set<FollowUp> followUps, List<String> flags) {

    public static final String IDENTITY = FirstCheck.IDENTITY;
    public static final String IN_CITY = FirstCheck.IN_CITY;
    public static final String TRAVEL_7D = FirstCheck.TRAVEL_7D;
    public static final String ARRIVAL_DATE = FirstCheck.ARRIVAL_DATE;
    public static final String HEALTH_CODE = FirstCheck.HEALTH_CODE;

    public static final String FLAG_TRAVEL = FirstCheck.FLAG_TRAVEL;
    public static final String FLAG_RED = FirstCheck.FLAG_RED;
    public static final String FLAG_YELLOW = FirstCheck.FLAG_YELLOW;
    public static final String FLAG_INCOMPLETE = FirstCheck.FLAG_INCOMPLETE;

    public static IvrResult of(IvrSession session) {
        FirstCheck f = FirstCheck.fromAnswers(session.answers());
        return new IvrResult(session.status(), f.identityConfirmed(), f.inCity(), f.travelLast7Days(), f.arrivalDate(),
                f.healthCode(), f.followUps(), f.flags());
    }
}
