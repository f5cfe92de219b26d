package org.screening.outreach.domain;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The phone first check (电话初查, Chongqing item 22) read from the callee's answers, and what follows from it.
 * Answers use the keys the screening-call scripts record; a missing key was not answered.
 */
public record FirstCheck(Boolean identityConfirmed, Boolean inCity, Boolean travelLast7Days, LocalDate arrivalDate,
                         HealthCode healthCode, Set<FollowUp> followUps, List<String> flags) {

    public static final String IDENTITY = "identity";
    public static final String IN_CITY = "in_city";
    public static final String TRAVEL_7D = "travel_7d";
    public static final String ARRIVAL_DATE = "arrival_date";
    public static final String HEALTH_CODE = "health_code";
    /**
     * Outcome detail present when the call ran the IVR script (its value: how the script ended); without it an
     * answered call came from a provider with no IVR, and a pick-up is all that is known.
     */
    public static final String IVR = "ivr";
    public static final List<String> KEYS = List.of(IDENTITY, IN_CITY, TRAVEL_7D, ARRIVAL_DATE, HEALTH_CODE);

    public static final String FLAG_TRAVEL = "travel_last_7_days";
    public static final String FLAG_RED = "health_code_red";
    public static final String FLAG_YELLOW = "health_code_yellow";
    public static final String FLAG_INCOMPLETE = "answers_incomplete";

    public FirstCheck {
        followUps = followUps.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(followUps));
        flags = List.copyOf(flags);
    }

    public static FirstCheck fromAnswers(Map<String, String> a) {
        Boolean identity = yesNo(a.get(IDENTITY));
        Boolean inCity = yesNo(a.get(IN_CITY));
        Boolean travel = yesNo(a.get(TRAVEL_7D));
        LocalDate arrival = a.containsKey(ARRIVAL_DATE) ? LocalDate.parse(a.get(ARRIVAL_DATE)) : null;
        HealthCode code = HealthCode.fromAnswer(a.get(HEALTH_CODE)).orElse(null);

        EnumSet<FollowUp> follow = EnumSet.noneOf(FollowUp.class);
        List<String> flags = new ArrayList<>();
        if (identity == null) {
            follow.add(FollowUp.CALL_AGAIN);
        } else if (!identity) {
            // What a stranger says about their own travel is not the risk person's: only re-verification helps.
            follow.add(FollowUp.REVERIFY_DOOR_KNOCK);
        } else {
            follow.add(FollowUp.MARK_REACHED);
            if (Boolean.FALSE.equals(inCity)) follow.add(FollowUp.FLAG_TRANSFER);
            if (Boolean.TRUE.equals(travel)) flags.add(FLAG_TRAVEL);
            if (code == HealthCode.RED) flags.add(FLAG_RED);
            if (code == HealthCode.YELLOW) flags.add(FLAG_YELLOW);
            boolean complete = inCity != null && code != null && (!inCity || travel != null);
            if (!complete) flags.add(FLAG_INCOMPLETE);
            if (!flags.isEmpty()) follow.add(FollowUp.FLAG_COMMUNITY);
            else if (inCity) follow.add(FollowUp.VERIFY_BY_PHONE);
        }
        return new FirstCheck(identity, inCity, travel, arrival, code, follow, flags);
    }

    private static Boolean yesNo(String v) {
        if ("yes".equals(v)) return Boolean.TRUE;
        if ("no".equals(v)) return Boolean.FALSE;
        return null;
    }
}
