package org.screening.outreach.web.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.screening.outreach.web.webhooks.WebhookOutageTest.NINE_AM;
import static org.screening.outreach.web.webhooks.WebhookOutageTest.PUBLIC;
import static org.screening.outreach.web.webhooks.WebhookOutageTest.SID;
import static org.screening.outreach.web.webhooks.WebhookOutageTest.TO;
import static org.screening.outreach.web.webhooks.WebhookOutageTest.TOKEN;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.support.TcpProxy;

/**
 * A Twilio call whose conversation broke off during a database outage, against the real server (database behind a
 * relay the test cuts, as {@link WebhookOutageTest}): the apology promised a call back, and the plan makes it.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class BrokenOffCallOutageTest {
    /**
     * Issue 5: the callee confirmed who they are, then the database failed and the next step apologised ("we will
     * call you back later"). The status callback that follows says "completed", yet the call was no first check: the
     * attempt ends FAILED {@code ivr_failed} and the plan calls again. The step Twilio repeats changes nothing more.
     */
    @Test
    void aCallThatBrokeOffInAnOutageEndsFailedAndIsCalledAgainWhateverItsStatusSays(TestDb db, @TempDir Path dir)
            throws Exception {
        MutableClock clock = new MutableClock(NINE_AM);
        JdbcAttemptQueue queue = WebhookOutageTest.queue(db);
        String caseId = new Cases(db.database(), clock).push("红码", true);
        queue.planNewCases(clock.instant(), 100);
        String sid = "CA0000000000000000000000000000000d";
        long call = WebhookOutageTest.sent(queue, ChannelKind.VOICE, caseId, sid);
        Path spool = dir.resolve("spool").resolve("webhooks");

        try (TcpProxy proxy = new TcpProxy(WebhookOutageTest.port(db.url()));
             OutreachServer server = WebhookOutageTest.server(db, proxy, dir, clock)) {
            TwilioTestRequests twilio = new TwilioTestRequests(server.port(), PUBLIC, TOKEN);
            String step = "/webhooks/twilio/voice/" + call;
            Map<String, String> inProgress = Map.of("AccountSid", SID, "CallSid", sid, "CallStatus", "in-progress");
            assertThat(twilio.post(step, inProgress).body()).contains("seen=1");
            Map<String, String> keyedOne = Map.of("AccountSid", SID, "CallSid", sid, "CallStatus", "in-progress",
                    "Digits", "1");
            assertThat(twilio.post(step + "?lang=zh-CN&seen=1", keyedOne).body()).contains("seen=2");

            proxy.cut();
            for (int i = 0; i < 2; i++) { // Twilio repeating the request it got no answer to in time
                Reply apology = twilio.post(step + "?lang=zh-CN&seen=2", keyedOne);
                assertThat(apology.body()).contains("对不起").contains("<Hangup");
            }
            assertThat(twilio.post("/webhooks/twilio/voice/status?attemptId=" + call, Map.of("AccountSid", SID,
                    "CallSid", sid, "CallStatus", "completed", "CallDuration", "41", "To", TO)).status()).isEqualTo(204);
            assertThat(WebhookOutageTest.files(spool)).as("the marks of the broken-off step, then the status").hasSize(3);
            assertThat(WebhookOutageTest.attempt(db.database(), call)).isEqualTo("SENT");

            proxy.restore();
            Await.until("the spool applied", Duration.ofSeconds(60), () -> WebhookOutageTest.files(spool).isEmpty());
            assertThat(WebhookOutageTest.attempt(db.database(), call)).isEqualTo("DONE FAILED");
            List<LedgerEvent> events = new JdbcCaseLedger(db.database()).events(caseId);
            assertThat(events).extracting(LedgerEvent::type).containsOnlyOnce("CALL_FAILED", "IVR_ANSWER")
                    .doesNotContain("CALL_ANSWERED");
            LedgerEvent failed = events.stream().filter(e -> e.type().equals("CALL_FAILED")).findFirst().orElseThrow();
            assertThat(failed.data()).containsEntry("error", "ivr_failed").containsEntry("identity", "yes")
                    .containsEntry("provider", "twilio");
        }
        // The plan calls again: a second call of the case comes due.
        assertThat(queue.claim(ChannelKind.VOICE, NINE_AM.plus(Duration.ofDays(1)), 100, "test",
                NINE_AM.plus(Duration.ofDays(2)))).anyMatch(a -> a.caseId().equals(caseId) && a.seq() == 2);
    }

}
