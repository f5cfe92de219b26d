package org.screening.outreach.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

@Tag("db")
@ExtendWith(MariaDbExtension.class)
class AttemptQueueTest {
    static final Instant NINE_AM = ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();
    final ContactPlanner planner = new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults());
    MutableClock clock;
    AttemptQueue queue;
    CaseLedger ledger;
    Cases cases;
    TestDb db;

    @BeforeEach
    void setUp(TestDb db) {
        this.db = db;
        // Each test starts later than everything the previous ones left due, so their leftovers never interfere.
        clock = new MutableClock(NINE_AM.plus(Duration.ofDays(countTests++)));
        queue = new JdbcAttemptQueue(db.database(), new CaseProgress(planner));
        ledger = new JdbcCaseLedger(db.database());
        cases = new Cases(db.database(), clock);
        drain();
    }

    static int countTests;

    /** Leaves no due work from earlier tests in the shared schema. */
    void drain() {
        queue.reapExpiredLeases(clock.instant());
        while (queue.planNewCases(clock.instant(), 500) > 0) { }
        for (ChannelKind k : ChannelKind.values()) {
            List<OutboundAttempt> left;
            while (!(left = queue.claim(k, clock.instant().plus(Duration.ofDays(1)), 500, "drain", clock.instant().plus(Duration.ofDays(1)))).isEmpty()) {
                left.forEach(a -> queue.complete(a.attemptId(), AttemptOutcome.ANSWERED, Map.of(), clock.instant()));
            }
        }
        while (queue.escalateDue(clock.instant().plus(Duration.ofDays(1)), 500) > 0) { }
    }

    List<String> types(String caseId) {
        return ledger.events(caseId).stream().map(LedgerEvent::type).toList();
    }

    @Test
    void planningGivesASmsAFirstCallAndMovesTheCaseToContacting() {
        String id = cases.push("红码", true);
        assertThat(queue.planNewCases(clock.instant(), 100)).isEqualTo(1);
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.CONTACTING);
        assertThat(types(id)).containsExactly("RECEIVED", "PLANNED", "STATUS_CHANGED");
        assertThat(queue.claim(ChannelKind.SMS, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)))
                .extracting(OutboundAttempt::caseId).containsExactly(id);
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)))
                .extracting(OutboundAttempt::caseId, OutboundAttempt::phone)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id, ledger.find(id).orElseThrow().phone()));
    }

    @Test
    void whenCapacityIsShortTheNearestDeadlineGoesFirst() {
        String roaming = cases.push("省际漫游", false);
        String yellow = cases.push("黄码", false);
        String red = cases.push("红码", false);
        queue.planNewCases(clock.instant(), 100);
        List<String> order = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            queue.claim(ChannelKind.VOICE, clock.instant(), 1, "n1", clock.instant().plusSeconds(60))
                    .forEach(a -> order.add(a.caseId()));
        }
        assertThat(order).containsExactly(red, yellow, roaming);
    }

    @Test
    void anExpiredLeaseReturnsTheAttemptToTheQueue() {
        String id = cases.push("黄码", false);
        queue.planNewCases(clock.instant(), 100);
        OutboundAttempt first = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "dead-node",
                clock.instant().plusSeconds(120)).get(0);
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n2", clock.instant().plusSeconds(120))).isEmpty();
        clock.advance(Duration.ofSeconds(60));
        assertThat(queue.reapExpiredLeases(clock.instant())).isZero();
        clock.advance(Duration.ofSeconds(61));
        assertThat(queue.reapExpiredLeases(clock.instant())).isEqualTo(1);
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n2", clock.instant().plusSeconds(120)))
                .extracting(OutboundAttempt::attemptId, OutboundAttempt::caseId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(first.attemptId(), id));
    }

    @Test
    void aCaseLeavingScreeningHasItsTextsAndCallsNotYetMadeCancelled() {
        String transferred = cases.push("黄码", true);
        String stays = cases.push("黄码", true);
        queue.planNewCases(clock.instant(), 100);
        moveTo(transferred, CaseStatus.TRANSFERRED);
        assertThat(attemptStatuses(transferred)).containsOnly("CANCELLED");
        Instant later = clock.instant().plus(Duration.ofDays(1));
        for (ChannelKind k : ChannelKind.values()) {
            assertThat(queue.claim(k, later, 100, "n1", later.plusSeconds(60))).extracting(OutboundAttempt::caseId)
                    .as(k + " still goes to the case in screening only").contains(stays).doesNotContain(transferred);
        }
    }

    @Test
    void aClaimGivenBackAfterItsCaseLeftScreeningIsCancelledNotSentAgain() {
        String settled = cases.push("黄码", true);
        String open = cases.push("黄码", true);
        queue.planNewCases(clock.instant(), 100);
        List<OutboundAttempt> calls = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "dead-node",
                clock.instant().plusSeconds(120));
        List<OutboundAttempt> texts = queue.claim(ChannelKind.SMS, clock.instant(), 10, "stopping-node",
                clock.instant().plusSeconds(120));
        assertThat(calls).extracting(OutboundAttempt::caseId).contains(settled, open);
        moveTo(settled, CaseStatus.UNDER_CONTROL);
        assertThat(attemptStatuses(settled)).as("being made: left to finish").contains("CLAIMED");

        assertThat(queue.returnClaims(ChannelKind.SMS, "stopping-node")).isEqualTo(2);
        clock.advance(Duration.ofSeconds(121));
        assertThat(queue.reapExpiredLeases(clock.instant())).isEqualTo(2);
        assertThat(attemptStatuses(settled)).containsOnly("CANCELLED");
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n2", clock.instant().plusSeconds(120)))
                .extracting(OutboundAttempt::caseId).containsExactly(open);
        assertThat(queue.claim(ChannelKind.SMS, clock.instant(), 10, "n2", clock.instant().plusSeconds(120)))
                .extracting(OutboundAttempt::caseId).containsExactly(open);
    }

    @Test
    void aStricterPushMovesAnOpenDoorKnockTaskToTheNewDeadline() {
        String id = cases.pushAs("cdc", "DK-" + clock.instant(), "13700001001", "黄码", "510104001001");
        queue.planNewCases(clock.instant(), 100);
        queue.escalateDue(clock.instant().plus(Duration.ofHours(12)), 100);
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.DOOR_KNOCK);
        assertThat(doorKnockDue(id)).isEqualTo(clock.instant().plus(Duration.ofHours(12)));

        clock.advance(Duration.ofMinutes(30));
        assertThat(cases.pushAs("province", "DK2-" + clock.instant(), "13700001001", "红码", "510104001001")).isEqualTo(id);
        assertThat(doorKnockDue(id)).as("due at the RED deadline now").isEqualTo(clock.instant().plus(Duration.ofHours(2)));
    }

    @Test
    void aStricterPushAtNightBringsPlannedAttemptsForwardOnlyAsFarAsItsCategoryAllows() {
        clock.advance(Duration.ofHours(13).plusMinutes(30)); // 22:30 in Chengdu
        String yellow = cases.pushAs("cdc", "N1-" + clock.instant(), "13700002001", "黄码", "510104001001");
        String other = cases.pushAs("cdc", "N2-" + clock.instant(), "13700002002", "黄码", "510104001001");
        queue.planNewCases(clock.instant(), 100);
        Instant seven = clock.instant().plus(Duration.ofMinutes(8 * 60 + 30));
        assertThat(dueTimes(yellow)).containsOnly(seven);

        clock.advance(Duration.ofMinutes(30)); // 23:00
        cases.pushAs("province", "N3-" + clock.instant(), "13700002001", "时空伴随", "510104001001");
        assertThat(dueTimes(yellow)).as("COMPANION keeps quiet hours: still 07:00").containsOnly(seven);
        cases.pushAs("province", "N4-" + clock.instant(), "13700002002", "红码", "510104001001");
        assertThat(dueTimes(other)).as("RED is called day and night: now").containsOnly(clock.instant());
    }

    @Test
    void aRedPushOfACaseThatQuietHoursLeftWithoutACallIsCalledAtOnce() {
        clock.advance(Duration.ofHours(13).plusMinutes(30)); // 22:30 in Chengdu: YELLOW's 07:00 call is past its 06:30 door knock
        String id = cases.pushAs("cdc", "QR1-" + clock.instant(), "13700004001", "黄码", "510104001001");
        queue.planNewCases(clock.instant(), 100);
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant().plus(Duration.ofHours(8)), 10, "n1",
                clock.instant().plus(Duration.ofHours(9)))).as("no call planned for the night").isEmpty();

        clock.advance(Duration.ofMinutes(30)); // 23:00: the same person pushed as RED
        assertThat(cases.pushAs("province", "QR2-" + clock.instant(), "13700004001", "红码", "510104001001")).isEqualTo(id);
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)))
                .as("RED is called day and night").extracting(OutboundAttempt::caseId, OutboundAttempt::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id, 1));
    }

    @Test
    void aCallHeldByQuietHoursIsRetriedAfterThePlansGapNotAtOnce() {
        clock.advance(Duration.ofHours(17)); // 02:00 in Chengdu: YELLOW's first call waits for 07:00
        String id = cases.push("黄码", false);
        queue.planNewCases(clock.instant(), 100);
        clock.advance(Duration.ofHours(5));
        OutboundAttempt call1 = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
        queue.complete(call1.attemptId(), AttemptOutcome.NO_ANSWER, Map.of(), clock.instant().plusSeconds(30));
        clock.advance(Duration.ofMinutes(119));
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)))
                .as("2 h after the 07:00 call, not at once").isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)))
                .extracting(OutboundAttempt::caseId, OutboundAttempt::seq)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(id, 2));
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.CONTACTING);
    }

    @Test
    void aNonUrgentCallReachedOnlyInQuietHoursWaitsForTheMorningWhileRedStillGoesOut() {
        clock.advance(Duration.ofHours(12).plusMinutes(50)); // 21:50 in Chengdu: both first calls due before 22:00
        String roaming = cases.push("省际漫游", false);
        String red = cases.push("红码", false);
        queue.planNewCases(clock.instant(), 100);
        clock.advance(Duration.ofMinutes(20)); // 22:10: the line was busy until now
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)))
                .extracting(OutboundAttempt::caseId).containsExactly(red);
        Instant seven = clock.instant().plus(Duration.ofMinutes(8 * 60 + 50));
        assertThat(dueTimes(roaming)).as("held for the morning, not rung at 22:10").containsOnly(seven);
        clock.advance(Duration.ofMinutes(8 * 60 + 50));
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)))
                .extracting(OutboundAttempt::caseId).containsExactly(roaming);
    }

    Instant doorKnockDue(String caseId) {
        return instants("SELECT due_at FROM door_knock_tasks WHERE case_id = ? AND status IN ('OPEN', 'ASSIGNED')", caseId)
                .get(0);
    }

    List<Instant> dueTimes(String caseId) {
        return instants("SELECT due_at FROM attempts WHERE case_id = ? AND status = 'PLANNED'", caseId);
    }

    List<Instant> instants(String sql, String caseId) {
        try (var c = db.database().connection(); var ps = c.prepareStatement(sql)) {
            ps.setString(1, caseId);
            List<Instant> out = new java.util.ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getObject(1, java.time.LocalDateTime.class).toInstant(java.time.ZoneOffset.UTC));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    void moveTo(String caseId, CaseStatus status) {
        assertThat(ledger.apply(ledger.find(caseId).orElseThrow().moveTo(status, clock.instant(), "test", "settled"))).isTrue();
    }

    List<String> attemptStatuses(String caseId) {
        try (var c = db.database().connection();
             var ps = c.prepareStatement("SELECT status FROM attempts WHERE case_id = ? ORDER BY id")) {
            ps.setString(1, caseId);
            List<String> out = new java.util.ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSentAttemptWaitsForItsCallbackAndIsNeverHandedOutAgain() {
        String id = cases.push("黄码", true);
        queue.planNewCases(clock.instant(), 100);
        OutboundAttempt sms = queue.claim(ChannelKind.SMS, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
        assertThat(queue.markSent(sms.attemptId(), "SM0123", clock.instant())).isTrue();
        assertThat(queue.markSent(sms.attemptId(), "SM0123", clock.instant())).isFalse();
        clock.advance(Duration.ofMinutes(30));
        assertThat(queue.reapExpiredLeases(clock.instant())).as("a sent SMS holds no lease").isZero();
        assertThat(queue.claim(ChannelKind.SMS, clock.instant(), 10, "n2", clock.instant().plusSeconds(60))).isEmpty();
        assertThat(queue.complete(sms.attemptId(), AttemptOutcome.DELIVERED, Map.of("messageSid", "SM0123"), clock.instant()))
                .isTrue();
        assertThat(types(id)).contains("SMS_DELIVERED");
    }

    @Test
    void anOutcomeDeliveredTwiceIsAppliedOnce() {
        String id = cases.push("红码", false);
        queue.planNewCases(clock.instant(), 100);
        OutboundAttempt call = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
        assertThat(queue.complete(call.attemptId(), AttemptOutcome.NO_ANSWER, Map.of(), clock.instant())).isTrue();
        assertThat(queue.complete(call.attemptId(), AttemptOutcome.NO_ANSWER, Map.of(), clock.instant())).isFalse();
        assertThat(queue.complete(call.attemptId(), AttemptOutcome.ANSWERED, Map.of(), clock.instant())).isFalse();
        assertThat(types(id)).containsExactly("RECEIVED", "PLANNED", "STATUS_CHANGED", "CALL_NO_ANSWER");
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.CONTACTING);
    }

    @Test
    void aCallThatVerifiesTheCaseRecordsItsEventsInOrderOnceWhenItsStatusComesTwice() {
        String id = cases.push("黄码", false);
        queue.planNewCases(clock.instant(), 100);
        OutboundAttempt call = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
        Map<String, Object> answers = Map.of("identity", "yes", "in_city", "yes", "travel_7d", "no", "health_code", "green");
        assertThat(queue.complete(call.attemptId(), AttemptOutcome.ANSWERED, answers, clock.instant())).isTrue();
        assertThat(queue.complete(call.attemptId(), AttemptOutcome.ANSWERED, answers, clock.instant())).isFalse();
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.VERIFIED);
        List<LedgerEvent> events = ledger.events(id);
        assertThat(events).extracting(LedgerEvent::type)
                .containsExactly("RECEIVED", "PLANNED", "STATUS_CHANGED", "CALL_ANSWERED", "STATUS_CHANGED", "STATUS_CHANGED");
        assertThat(events.subList(4, 6)).extracting(e -> e.data().get("to")).containsExactly("REACHED", "VERIFIED");
    }

    @Test
    void noAnswerPlansTheNextCallAndBusyComesBackSooner() {
        String id = cases.push("红码", false);
        queue.planNewCases(clock.instant(), 100);
        OutboundAttempt call1 = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
        queue.complete(call1.attemptId(), AttemptOutcome.NO_ANSWER, Map.of(), clock.instant());
        clock.advance(Duration.ofMinutes(19));
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60))).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        OutboundAttempt call2 = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
        assertThat(call2.seq()).isEqualTo(2);
        queue.complete(call2.attemptId(), AttemptOutcome.BUSY, Map.of(), clock.instant());
        clock.advance(Duration.ofMinutes(5));
        OutboundAttempt call3 = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
        assertThat(call3.seq()).isEqualTo(3);
        assertThat(call3.caseId()).isEqualTo(id);
    }

    @Test
    void anAnsweredCallReachesTheCaseAndStopsFurtherCalls() {
        String id = cases.push("黄码", false);
        queue.planNewCases(clock.instant(), 100);
        OutboundAttempt call = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
        queue.complete(call.attemptId(), AttemptOutcome.ANSWERED, Map.of("durationSeconds", 60), clock.instant());
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.REACHED);
        assertThat(types(id)).endsWith("CALL_ANSWERED", "STATUS_CHANGED");
        clock.advance(Duration.ofHours(13));
        assertThat(queue.escalateDue(clock.instant(), 100)).isZero();
    }

    @Test
    void anUnreachedCaseBecomesADoorKnockAtTheEscalationPointNotLater() {
        String id = cases.push("红码", false);
        queue.planNewCases(clock.instant(), 100);
        clock.advance(Duration.ofMinutes(59));
        assertThat(queue.escalateDue(clock.instant(), 100)).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(queue.escalateDue(clock.instant(), 100)).isEqualTo(1);
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.DOOR_KNOCK);
        assertThat(types(id)).endsWith("STATUS_CHANGED", "DOOR_KNOCK_CREATED");
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)))
                .as("planned calls are cancelled once staff own the case").isEmpty();
        assertThat(queue.escalateDue(clock.instant(), 100)).isZero();
    }

    @Test
    void aStricterPushOfAPlannedCaseTightensItsEscalationAndCallsAtOnce() {
        String id = cases.pushAs("city", "Y-77", "13912340077", "黄码", "510104001077");
        queue.planNewCases(clock.instant(), 100);
        OutboundAttempt call1 = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
        queue.complete(call1.attemptId(), AttemptOutcome.NO_ANSWER, Map.of(), clock.instant());
        clock.advance(Duration.ofMinutes(10)); // next YELLOW call is 2 h after receipt
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60))).isEmpty();

        assertThat(cases.pushAs("province", "R-77", "139 1234 0077", "红码", "510104001077")).isEqualTo(id);
        assertThat(queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)))
                .as("the waiting call is due now").extracting(OutboundAttempt::caseId).containsExactly(id);
        clock.advance(Duration.ofMinutes(60));
        assertThat(queue.escalateDue(clock.instant(), 100)).as("RED escalates an hour after the red push").isEqualTo(1);
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.DOOR_KNOCK);
    }

    @Test
    void whenThePlansLastCallGoesUnansweredStaffGetTheCaseAtOnce() {
        String id = cases.push("红码", false);
        queue.planNewCases(clock.instant(), 100);
        for (int call = 1; call <= 3; call++) {
            OutboundAttempt a = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(60)).get(0);
            assertThat(a.seq()).isEqualTo(call);
            queue.complete(a.attemptId(), AttemptOutcome.NO_ANSWER, Map.of(), clock.instant());
            if (call < 3) clock.advance(Duration.ofMinutes(20));
        }
        // 40 minutes after receipt: 20 minutes earlier than the escalation point.
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.DOOR_KNOCK);
        assertThat(types(id)).endsWith("CALL_NO_ANSWER", "STATUS_CHANGED", "DOOR_KNOCK_CREATED");
    }

    @Test
    void aLateAnswerOfACallStillInFlightCancelsTheDoorKnock() {
        String id = cases.push("红码", false);
        queue.planNewCases(clock.instant(), 100);
        clock.advance(Duration.ofMinutes(60));
        OutboundAttempt call = queue.claim(ChannelKind.VOICE, clock.instant(), 10, "n1", clock.instant().plusSeconds(90)).get(0);
        queue.escalateDue(clock.instant(), 100);
        queue.complete(call.attemptId(), AttemptOutcome.ANSWERED, Map.of(), clock.instant());
        assertThat(ledger.find(id).orElseThrow().status()).isEqualTo(CaseStatus.REACHED);
        assertThat(types(id)).contains("DOOR_KNOCK_CREATED", "DOOR_KNOCK_CANCELLED");
    }
}
