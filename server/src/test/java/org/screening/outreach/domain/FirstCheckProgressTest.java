package org.screening.outreach.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the callee's keypad answers do to the case (the first check, Chongqing item 22). */
class FirstCheckProgressTest {
    static final Instant T0 = Instant.parse("2022-04-01T01:00:00Z");
    final CaseProgress progress = new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults()));

    static RiskCase contacting() {
        return new RiskCase(CaseId.next(T0), "s", "e", "n", "+8613800138000", true, null, Category.RED, "510104001001",
                null, T0, T0.plus(Duration.ofHours(2)), CaseStatus.CONTACTING);
    }

    CaseProgress.Step answered(Map<String, Object> answers) {
        return progress.afterAttempt(contacting(), ChannelKind.VOICE, 7, 1, AttemptOutcome.ANSWERED, answers, T0);
    }

    @Test
    void confirmedInTheCityAndNothingToFlagIsVerifiedByPhone() {
        CaseProgress.Step s = answered(Map.of("identity", "yes", "in_city", "yes", "travel_7d", "no", "health_code", "green"));
        assertThat(s.changes()).extracting(c -> c.after().status()).containsExactly(CaseStatus.REACHED, CaseStatus.VERIFIED);
        assertThat(s.cancelCalls()).isTrue();
        assertThat(s.events()).extracting(LedgerEvent::type).containsExactly("CALL_ANSWERED");
        assertThat(s.events().get(0).data()).containsEntry("identity", "yes").containsEntry("health_code", "green");
    }

    @Test
    void onlyACaseAlreadyWithStaffHasDoorKnocksToWithdrawWhenReached() {
        Map<String, Object> verified = Map.of("identity", "yes", "in_city", "yes", "travel_7d", "no", "health_code", "green");
        assertThat(answered(verified).cancelDoorKnocks()).as("CONTACTING: no task was ever opened").isFalse();
        CaseProgress.Step lateAnswer = progress.afterAttempt(contacting().withStatus(CaseStatus.DOOR_KNOCK),
                ChannelKind.VOICE, 7, 1, AttemptOutcome.ANSWERED, verified, T0);
        assertThat(lateAnswer.cancelDoorKnocks()).isTrue();
    }

    @Test
    void notTheUserOfTheNumberGoesToADoorKnockToReverify() {
        CaseProgress.Step s = answered(Map.of("identity", "no"));
        assertThat(s.changes()).extracting(c -> c.after().status()).containsExactly(CaseStatus.DOOR_KNOCK);
        assertThat(s.doorKnock()).contains(DoorKnockTask.NOT_USER_OF_NUMBER);
    }

    @Test
    void travelOrACodeColourIsReachedAndFlaggedForTheCommunity() {
        CaseProgress.Step s = answered(Map.of("identity", "yes", "in_city", "yes", "travel_7d", "yes", "health_code", "yellow"));
        assertThat(s.changes()).extracting(c -> c.after().status()).containsExactly(CaseStatus.REACHED);
        assertThat(s.events()).extracting(LedgerEvent::type).containsExactly("CALL_ANSWERED", "FLAGGED");
        assertThat(s.events().get(1).data().get("flags").toString()).contains("travel_last_7_days", "health_code_yellow");
    }

    @Test
    void notInTheCityFlagsATransfer() {
        CaseProgress.Step s = answered(Map.of("identity", "yes", "in_city", "no", "health_code", "green"));
        assertThat(s.changes()).extracting(c -> c.after().status()).containsExactly(CaseStatus.REACHED);
        assertThat(s.events()).extracting(LedgerEvent::type).contains("TRANSFER_FLAGGED");
    }

    @Test
    void anAnswerWithoutTheIdentityQuestionCountsAsNotReached() {
        CaseProgress.Step s = answered(Map.of("identity", ""));
        assertThat(s.changes()).isEmpty();
        assertThat(s.nextCall()).as("called again per the plan").isPresent();
    }

    @Test
    void aProviderWithoutAnIvrJustReachesTheCase() {
        CaseProgress.Step s = answered(Map.of("durationSeconds", 60));
        assertThat(s.changes()).extracting(c -> c.after().status()).containsExactly(CaseStatus.REACHED);
    }

    @Test
    void aCallThatHeardTheQuestionsButAnsweredNoneIsCalledAgainNotReached() {
        CaseProgress.Step s = answered(Map.of("ivr", "HUNG_UP"));
        assertThat(s.changes()).isEmpty();
        assertThat(s.nextCall()).isPresent();
    }

    @Test
    void staffDecisionsStopTheCallsAndTheDoorKnockAndNameWhatIsNotAllowed() {
        CaseProgress.Step verified = CaseProgress.decidedByStaff(contacting().withStatus(CaseStatus.REACHED), CaseStatus.VERIFIED, T0, "staff", "seen at home");
        assertThat(verified.changes()).extracting(c -> c.after().status()).containsExactly(CaseStatus.VERIFIED);
        assertThat(verified.cancelCalls()).isTrue();
        assertThat(verified.cancelDoorKnocks()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaseProgress.decidedByStaff(contacting(),
                CaseStatus.CLOSED, T0, "staff", "done")).hasMessageContaining("only a VERIFIED case can be closed");
    }

    @Test
    void staffVerifyingACaseOurCallsHaveNotReachedReachItFirst() {
        CaseProgress.Step verified = CaseProgress.decidedByStaff(contacting(), CaseStatus.VERIFIED, T0, "staff:wang",
                "phoned by the grid worker");
        assertThat(verified.changes()).extracting(c -> c.after().status())
                .containsExactly(CaseStatus.REACHED, CaseStatus.VERIFIED);
        assertThat(verified.cancelCalls()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaseProgress.decidedByStaff(
                contacting().withStatus(CaseStatus.VERIFIED), CaseStatus.VERIFIED, T0, "staff", "again"))
                .hasMessageContaining("a VERIFIED case cannot become VERIFIED");
    }
}
