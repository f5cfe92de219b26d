package org.screening.outreach.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.ContactPlanner.PlannedAttempt;

class ContactPlannerTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final Instant MORNING = ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, SHANGHAI).toInstant();
    static final Instant NIGHT = ZonedDateTime.of(2022, 4, 1, 23, 0, 0, 0, SHANGHAI).toInstant();
    final ContactPlanner planner = new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults());

    static RiskCase received(Category cat, Instant at, boolean sms) {
        return new RiskCase(CaseId.next(at), "s", "e", "n", "+8613800138000", sms, null, cat, "510104001001", null, at,
                Deadlines.defaults().deadlineFor(cat, at), CaseStatus.NEW);
    }

    @Test
    void redGetsAnSmsAndACallAtOnceAndEscalatesAnHourBeforeTheDeadline() {
        RiskCase red = received(Category.RED, MORNING, true);
        ContactPlanner.Plan plan = planner.initial(red);
        assertThat(plan.attempts()).containsExactly(
                new PlannedAttempt(ChannelKind.SMS, 1, MORNING), new PlannedAttempt(ChannelKind.VOICE, 1, MORNING));
        assertThat(plan.escalateAt()).isEqualTo(MORNING.plus(Duration.ofHours(1)));
    }

    @Test
    void aDeadlineNoLongerThanTheDoorKnockLeadIsToldAsNeverCalled() {
        assertThat(RetryPlans.defaults().neverCalled(Deadlines.defaults())).isEmpty();
        Deadlines redInAnHour = Deadlines.withOverrides(java.util.Map.of(Category.RED, Duration.ofMinutes(60)));
        assertThat(RetryPlans.defaults().neverCalled(redInAnHour)).containsExactly(Category.RED);
        // As the planner sees it: no call, straight to staff.
        RiskCase red = new RiskCase(CaseId.next(MORNING), "s", "e", "n", "+8613800138000", true, null, Category.RED,
                "510104001001", null, MORNING, redInAnHour.deadlineFor(Category.RED, MORNING), CaseStatus.NEW);
        assertThat(planner.initial(red).attempts()).extracting(PlannedAttempt::kind).containsExactly(ChannelKind.SMS);
        assertThat(RetryPlans.defaults().neverCalled(Deadlines.withOverrides(
                java.util.Map.of(Category.RED, Duration.ofMinutes(61))))).isEmpty();
    }

    @Test
    void aLandlineGetsNoSms() {
        assertThat(planner.initial(received(Category.YELLOW, MORNING, false)).attempts())
                .extracting(PlannedAttempt::kind).containsExactly(ChannelKind.VOICE);
    }

    @Test
    void redCallsFollowThePlanAndABusyLineIsTriedSooner() {
        RiskCase red = received(Category.RED, MORNING, true);
        Instant afterFirst = MORNING.plus(Duration.ofMinutes(1));
        assertThat(planner.nextCall(red, 1, AttemptOutcome.NO_ANSWER, afterFirst))
                .contains(new PlannedAttempt(ChannelKind.VOICE, 2, MORNING.plus(Duration.ofMinutes(20))));
        assertThat(planner.nextCall(red, 1, AttemptOutcome.BUSY, afterFirst))
                .contains(new PlannedAttempt(ChannelKind.VOICE, 2, afterFirst.plus(Duration.ofMinutes(5))));
    }

    @Test
    void noCallIsPlannedAfterAnAnswerOnceThePlanIsUsedOrPastTheEscalationPoint() {
        RiskCase red = received(Category.RED, MORNING, true);
        assertThat(planner.nextCall(red, 1, AttemptOutcome.ANSWERED, MORNING)).isEmpty();
        assertThat(planner.nextCall(red, 3, AttemptOutcome.NO_ANSWER, MORNING.plus(Duration.ofMinutes(41)))).isEmpty();
        assertThat(planner.nextCall(red, 2, AttemptOutcome.BUSY, MORNING.plus(Duration.ofMinutes(58)))).isEmpty();
    }

    @Test
    void quietHoursHoldYellowUntilMorningButNotRed() {
        RiskCase yellow = received(Category.YELLOW, NIGHT, true);
        Instant sevenAm = ZonedDateTime.of(2022, 4, 2, 7, 0, 0, 0, SHANGHAI).toInstant();
        assertThat(planner.initial(yellow).attempts()).extracting(PlannedAttempt::dueAt).containsOnly(sevenAm);
        RiskCase red = received(Category.RED, NIGHT, true);
        assertThat(planner.initial(red).attempts()).extracting(PlannedAttempt::dueAt).containsOnly(NIGHT);
    }

    @Test
    void aCallHeldPastTheEscalationPointIsNotPlanned() {
        // Arrival at 21:00 has an 8 h deadline (05:00) and escalates at 02:00, inside quiet hours: no call fits.
        Instant ninePm = ZonedDateTime.of(2022, 4, 1, 21, 50, 0, 0, SHANGHAI).toInstant();
        RiskCase arrival = received(Category.ARRIVAL, ninePm, false);
        ContactPlanner.Plan plan = planner.initial(arrival);
        assertThat(plan.attempts()).extracting(PlannedAttempt::kind).containsExactly(ChannelKind.VOICE);
        RiskCase late = received(Category.ARRIVAL, NIGHT, false);
        assertThat(planner.initial(late).attempts()).isEmpty();
    }

    @Test
    void aCallHeldByQuietHoursKeepsThePlansGapToTheNextCall() {
        // ROAMING at 20:00: calls planned at 20:00, 23:00 (held to 07:00) and 02:00; door knock at 12:00.
        Instant eightPm = ZonedDateTime.of(2022, 4, 1, 20, 0, 0, 0, SHANGHAI).toInstant();
        Instant sevenAm = ZonedDateTime.of(2022, 4, 2, 7, 0, 0, 0, SHANGHAI).toInstant();
        RiskCase roaming = received(Category.ROAMING, eightPm, false);
        assertThat(planner.nextCall(roaming, 1, AttemptOutcome.NO_ANSWER, eightPm, eightPm.plusSeconds(30)))
                .contains(new PlannedAttempt(ChannelKind.VOICE, 2, sevenAm));
        // The third call comes 3 h after the held one, not right after it with staff then sent at 07:01.
        assertThat(planner.nextCall(roaming, 2, AttemptOutcome.NO_ANSWER, sevenAm, sevenAm.plusSeconds(30)))
                .contains(new PlannedAttempt(ChannelKind.VOICE, 3, sevenAm.plus(Duration.ofHours(3))));
        // A call made on time keeps the plan's own offsets.
        RiskCase red = received(Category.RED, MORNING, false);
        assertThat(planner.nextCall(red, 1, AttemptOutcome.NO_ANSWER, MORNING, MORNING.plusSeconds(30)))
                .contains(new PlannedAttempt(ChannelKind.VOICE, 2, MORNING.plus(Duration.ofMinutes(20))));
    }

    @Test
    void quietHoursWindowWrapsMidnight() {
        QuietHours q = QuietHours.defaults();
        assertThat(q.contains(NIGHT)).isTrue();
        assertThat(q.contains(MORNING)).isFalse();
        assertThat(q.release(MORNING)).isEqualTo(MORNING);
        Instant threeAm = ZonedDateTime.of(2022, 4, 2, 3, 0, 0, 0, SHANGHAI).toInstant();
        assertThat(q.release(threeAm)).isEqualTo(ZonedDateTime.of(2022, 4, 2, 7, 0, 0, 0, SHANGHAI).toInstant());
    }
}
