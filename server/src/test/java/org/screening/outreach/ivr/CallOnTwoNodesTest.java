package org.screening.outreach.ivr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcCallSessions;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.support.SentCalls;

/**
 * Two server nodes behind one load balancer share a call: Twilio's requests for it may reach either. Each node
 * remembers the calls it stepped last; those copies must never make a node answer from an out-of-date session.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CallOnTwoNodesTest {
    static final Instant NINE_AM = ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();
    static int day;
    MutableClock clock;
    JdbcAttemptQueue queue;
    CaseLedger ledger;
    Cases cases;
    Conversations nodeA;
    Conversations nodeB;

    @BeforeEach
    void setUp(TestDb db) {
        clock = new MutableClock(NINE_AM.plus(java.time.Duration.ofDays(day++)));
        queue = new JdbcAttemptQueue(db.database(), new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
        ledger = new JdbcCaseLedger(db.database());
        cases = new Cases(db.database(), clock);
        nodeA = node(db);
        nodeB = node(db);
    }

    Conversations node(TestDb db) {
        return new Conversations(IvrScripts.loadDirectory(Path.of("..", "ivr-scripts")), "screening-call", "zh-CN",
                new IvrEngine(clock), new JdbcCallSessions(db.database(), clock), clock, code -> java.util.Optional.empty());
    }

    OutboundAttempt answeredCall() {
        return SentCalls.sentCall(queue, cases, clock);
    }

    /** The TwiML stand-in: the words of the step, and which node said them after how many events. */
    static Conversations.Render render(String node) {
        return (instructions, events, language) -> node + "#" + events + " " + instructions;
    }

    long answers(String caseId) {
        return ledger.events(caseId).stream().filter(e -> e.type().equals(Conversations.ANSWER_EVENT)).count();
    }

    @Test
    void aRequestRetriedOnTheOtherNodeGetsTheReplyTheFirstNodeGaveAndRecordsNothingTwice() {
        OutboundAttempt call = answeredCall();
        long id = call.attemptId();
        nodeA.handle(id, new CallEvent.Started(), 0, render("A"));
        nodeA.handle(id, new CallEvent.Digits("1"), 1, render("A"));
        // Twilio's next request reaches B, which answers it; Twilio times out waiting and retries it on A.
        Conversations.Reply first = nodeB.handle(id, new CallEvent.Digits("1"), 2, render("B")).orElseThrow();
        Conversations.Reply retried = nodeA.handle(id, new CallEvent.Digits("1"), 2, render("A")).orElseThrow();

        assertThat(first.rendered()).startsWith("B#3 ");
        assertThat(retried.replayed()).isTrue();
        assertThat(retried.rendered()).isEqualTo(first.rendered());
        assertThat(answers(call.caseId())).as("one answer per question asked").isEqualTo(2);

        // The call goes on from where B left it, on either node.
        Conversations.Reply next = nodeA.handle(id, new CallEvent.Digits("2"), 3, render("A")).orElseThrow();
        assertThat(next.replayed()).isFalse();
        assertThat(next.rendered()).startsWith("A#4 ");
        assertThat(answers(call.caseId())).isEqualTo(3);
    }

    @Test
    void aStepAfterTheOtherNodeEndedTheCallAsksNothingMore() {
        OutboundAttempt call = answeredCall();
        long id = call.attemptId();
        nodeA.handle(id, new CallEvent.Started(), 0, render("A"));
        nodeA.handle(id, new CallEvent.Digits("1"), 1, render("A"));
        // The status callback reached B first: the line closed while A's copy still waits at question 2.
        assertThat(nodeB.finish(id).orElseThrow().status()).isEqualTo(IvrSession.Status.HUNG_UP);

        Conversations.Reply late = nodeA.handle(id, new CallEvent.Digits("1"), 2, render("A")).orElseThrow();
        assertThat(late.session().status()).isEqualTo(IvrSession.Status.HUNG_UP);
        assertThat(late.rendered()).as("nothing more is asked").isEmpty();
        // The keys answered the question the call was on: recorded, marked late (the outcome did not count them).
        assertThat(late.session().answers()).containsEntry("in_city", "yes");
        assertThat(lateAnswers(call.caseId())).containsExactly("in_city=yes");
        assertThat(answers(call.caseId())).isEqualTo(2);

        // Twilio repeating that request, on either node, records nothing again.
        nodeB.handle(id, new CallEvent.Digits("1"), 2, render("B")).orElseThrow();
        nodeA.handle(id, new CallEvent.Digits("1"), 2, render("A")).orElseThrow();
        assertThat(answers(call.caseId())).isEqualTo(2);
    }

    @Test
    void lateKeysThatAreNoValidAnswerRecordNothing() {
        OutboundAttempt call = answeredCall();
        long id = call.attemptId();
        nodeA.handle(id, new CallEvent.Started(), 0, render("A"));
        nodeB.finish(id);

        Conversations.Reply late = nodeA.handle(id, new CallEvent.Digits("7"), 1, render("A")).orElseThrow();

        assertThat(late.rendered()).isEmpty();
        assertThat(answers(call.caseId())).isZero();
    }

    /** The attempt settled while its session still waits (its closing not stored): the keys still answer. */
    @Test
    void keysForACallWhoseAttemptWasSettledAnswerTheQuestionItWasOn() {
        OutboundAttempt call = answeredCall();
        long id = call.attemptId();
        nodeA.handle(id, new CallEvent.Started(), 0, render("A"));
        queue.complete(id, org.screening.outreach.domain.AttemptOutcome.ANSWERED,
                java.util.Map.of("settledBy", "no_outcome_reported"), clock.instant());

        Conversations.Reply late = nodeB.handle(id, new CallEvent.Digits("1"), 1, render("B")).orElseThrow();

        assertThat(late.session().status()).isEqualTo(IvrSession.Status.HUNG_UP);
        assertThat(late.instructions()).isEmpty();
        assertThat(lateAnswers(call.caseId())).containsExactly("identity=yes");
    }

    java.util.List<String> lateAnswers(String caseId) {
        return ledger.events(caseId).stream().filter(e -> e.type().equals(Conversations.ANSWER_EVENT))
                .filter(e -> Boolean.TRUE.equals(e.data().get("late")))
                .map(e -> e.data().get("key") + "=" + e.data().get("value")).toList();
    }
}
