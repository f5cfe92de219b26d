package org.screening.outreach.web.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.sms.OptOuts;
import org.screening.outreach.sms.SmsStatuses;
import org.screening.outreach.store.Database;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.store.JdbcOptOuts;
import org.screening.outreach.store.JdbcSmsStatuses;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.support.LogCapture;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.webhooks.spool.DurableCallbacks;
import org.screening.outreach.web.webhooks.spool.SpoolCounters;
import org.screening.outreach.web.webhooks.spool.WebhookSpool;

/**
 * Both Twilio SMS webhooks over real HTTP on the contract's paths, against a real MariaDB and the real attempt
 * queue, with requests signed as Twilio signs them for OUTREACH_PUBLIC_URL.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class SmsWebhooksTest {
    static final String AUTH_TOKEN = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
    static final String PUBLIC_URL = "https://outreach.example.org";
    static final String TO = "+8613912345678";
    static final Instant NINE_AM = ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();

    record Completion(long attemptId, AttemptOutcome outcome, Map<String, Object> details, boolean applied) {}

    record Attempt(long id, String caseId) {}

    static Vertx vertx;
    static TwilioTestRequests twilio;
    static Database db;
    static JdbcAttemptQueue queue;
    static CaseLedger ledger;
    static Cases cases;
    static MutableClock clock = new MutableClock(NINE_AM);
    static OptOuts optOuts;
    static final List<Completion> completions = new CopyOnWriteArrayList<>();
    static final List<String> received = new CopyOnWriteArrayList<>();
    static final AtomicBoolean jdbcOnEventLoop = new AtomicBoolean();
    LogCapture logs = new LogCapture("org.screening.outreach.web.webhooks");
    @TempDir
    static Path spoolDir;

    @BeforeAll
    static void start(TestDb testDb) throws Exception {
        db = testDb.database();
        queue = new JdbcAttemptQueue(db, new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
        ledger = new JdbcCaseLedger(db);
        cases = new Cases(db, clock);
        optOuts = offEventLoop(new JdbcOptOuts(db));
        FinalOutcome recording = (id, outcome, details, now) -> {
            checkThread();
            boolean applied = queue.complete(id, outcome, details, now);
            completions.add(new Completion(id, outcome, details, applied));
            return applied;
        };
        vertx = Vertx.vertx();
        Blocking blocking = new Blocking(vertx.createSharedWorkerExecutor("webhook-test-db", 4));
        SmsStatusUpdates updates = new SmsStatusUpdates(offEventLoop(new JdbcSmsStatuses(db)), recording, clock);
        Router router = Router.router(vertx);
        DurableCallbacks durable = new DurableCallbacks(new WebhookSpool(spoolDir), blocking, blocking,
                SpoolCounters.none(), DurableCallbacks.PATIENCE);
        TwilioSmsWebhooks.mount(router, new TwilioSignature(AUTH_TOKEN, PUBLIC_URL),
                new SmsStatusWebhook(updates, durable, clock, null),
                new SmsInboundWebhook(optOuts, (from, body, sid, at) -> received.add(from + "|" + body), durable, clock));
        router.route().failureHandler(Replies::failure);
        int port = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get().actualPort();
        twilio = new TwilioTestRequests(port, PUBLIC_URL, AUTH_TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @AfterEach
    void noJdbcOnTheEventLoopAndNoFullNumbersOrTokenInLogs() {
        logs.close();
        assertThat(jdbcOnEventLoop).as("JDBC ran on an event loop").isFalse();
        for (String line : logs.lines()) {
            assertThat(line).doesNotContain("13912345678").doesNotContain("13800138000").doesNotContain(AUTH_TOKEN);
        }
    }

    // ---- status callbacks ----

    @Test
    void inOrderCallbacksStoreEachStatusAndCompleteOnDelivery() {
        Attempt a = smsAttempt();
        assertThat(status(a.id(), "queued", null).status()).isEqualTo(204);
        assertThat(stored(a.id())).isEqualTo("queued");
        assertThat(status(a.id(), "sent", null).status()).isEqualTo(204);
        assertThat(stored(a.id())).isEqualTo("sent");
        assertThat(completionsOf(a)).isEmpty();
        assertThat(status(a.id(), "delivered", null).status()).isEqualTo(204);
        assertThat(stored(a.id())).isEqualTo("delivered");
        assertThat(completionsOf(a)).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(AttemptOutcome.DELIVERED);
            assertThat(c.applied()).isTrue();
            assertThat(c.details()).containsEntry("messageSid", sid(a)).containsEntry("provider", "twilio")
                    .containsEntry("twilioStatus", "delivered").doesNotContainKey("errorCode");
        });
        assertThat(smsEvents(a)).containsExactly("SMS_DELIVERED");
    }

    @Test
    void sentAfterDeliveredChangesNothing() {
        Attempt a = smsAttempt();
        status(a.id(), "delivered", null);
        assertThat(status(a.id(), "sent", null).status()).isEqualTo(204);
        assertThat(status(a.id(), "queued", null).status()).isEqualTo(204);
        assertThat(stored(a.id())).isEqualTo("delivered");
        assertThat(completionsOf(a)).hasSize(1);
        assertThat(smsEvents(a)).containsExactly("SMS_DELIVERED");
    }

    @Test
    void deliveredTwiceCompletesOnce() {
        Attempt a = smsAttempt();
        status(a.id(), "sent", null);
        status(a.id(), "delivered", null);
        assertThat(status(a.id(), "delivered", null).status()).isEqualTo(204);
        // The repeat may ask the queue again (it could be a retry after a failed completion); the queue refuses it.
        assertThat(completionsOf(a).stream().filter(Completion::applied)).hasSize(1);
        assertThat(smsEvents(a)).containsExactly("SMS_DELIVERED");
    }

    @Test
    void concurrentDuplicateDeliveriesCompleteOnce() {
        Attempt a = smsAttempt();
        List<CompletableFuture<Reply>> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) all.add(CompletableFuture.supplyAsync(() -> status(a.id(), "delivered", null)));
        all.forEach(f -> assertThat(f.join().status()).isEqualTo(204));
        assertThat(completionsOf(a).stream().filter(Completion::applied)).hasSize(1);
        assertThat(smsEvents(a)).containsExactly("SMS_DELIVERED");
    }

    @Test
    void undeliveredCarriesTwiliosErrorCodeAndIsFinal() {
        Attempt a = smsAttempt();
        status(a.id(), "sent", null);
        status(a.id(), "undelivered", "30003");
        status(a.id(), "delivered", null); // the first final word stands
        assertThat(stored(a.id())).isEqualTo("undelivered");
        assertThat(completionsOf(a)).singleElement().satisfies(c -> {
            assertThat(c.outcome()).isEqualTo(AttemptOutcome.UNDELIVERED);
            assertThat(c.details()).containsEntry("errorCode", 30003).containsEntry("messageSid", sid(a));
        });
        assertThat(smsEvents(a)).containsExactly("SMS_UNDELIVERED");
    }

    /** No Twilio's, but it must not fail the write: it would be spooled and hold back the callbacks behind it. */
    @Test
    void overlongSidAndErrorCodeAreCutAndTheCallbackIsAppliedAtOnce() {
        Attempt a = smsAttempt();
        Map<String, String> f = form("SM" + "f".repeat(100), "undelivered", "3".repeat(100));
        assertThat(twilio.post("/webhooks/twilio/sms/status?attemptId=" + a.id(), f).status()).isEqualTo(204);
        assertThat(stored(a.id())).as("applied, not spooled").isEqualTo("undelivered");
        assertThat(completionsOf(a)).singleElement().satisfies(c -> assertThat(c.details())
                .containsEntry("errorCode", "3".repeat(16)).containsEntry("messageSid", "SM" + "f".repeat(62)));
    }

    @Test
    void aTextGivenUpAsMayHaveGoneThatDidGoGetsOneLateDeliveredEventAndTheCaseIsLeftAlone() {
        Attempt a = smsAttempt();
        // Twilio's 201 never came back: the adapter gave the text up and the plan moved on to calls.
        assertThat(queue.complete(a.id(), AttemptOutcome.FAILED, Map.of("provider", "twilio", "tries", 1,
                "maybeSent", true), clock.instant())).isTrue();
        String caseBefore = caseRow(a.caseId());

        assertThat(status(a.id(), "sent", null).status()).isEqualTo(204);
        assertThat(smsEvents(a)).containsExactly("SMS_FAILED");
        assertThat(status(a.id(), "delivered", null).status()).isEqualTo(204);
        assertThat(status(a.id(), "delivered", null).status()).isEqualTo(204); // Twilio's retry of the same callback
        assertThat(smsEvents(a)).containsExactly("SMS_FAILED", "SMS_DELIVERED");
        LedgerEvent late = ledger.events(a.caseId()).stream().filter(e -> e.type().equals("SMS_DELIVERED"))
                .findFirst().orElseThrow();
        assertThat(late.data()).containsEntry("late", true).containsEntry("earlierOutcome", "FAILED")
                .containsEntry("messageSid", sid(a)).containsEntry("attempt", (int) a.id());
        assertThat(caseRow(a.caseId())).as("status and planned calls unchanged").isEqualTo(caseBefore);
    }

    @Test
    void aLateUndeliveredForATextGivenUpAddsNothing() {
        Attempt a = smsAttempt();
        queue.complete(a.id(), AttemptOutcome.FAILED, Map.of("provider", "twilio", "maybeSent", true), clock.instant());
        assertThat(status(a.id(), "undelivered", "30003").status()).isEqualTo(204);
        assertThat(status(a.id(), "delivered", null).status()).isEqualTo(204); // after a final word: ignored
        assertThat(smsEvents(a)).containsExactly("SMS_FAILED");
    }

    @Test
    void failedMapsToFailed() {
        Attempt a = smsAttempt();
        status(a.id(), "failed", "30008");
        assertThat(completionsOf(a)).singleElement().extracting(Completion::outcome).isEqualTo(AttemptOutcome.FAILED);
    }

    @Test
    void unknownOrUnusableCallbacksAreAcknowledgedAndLoggedMasked() {
        assertThat(status(987654321L, "delivered", null).status()).isEqualTo(204);
        assertThat(twilio.post("/webhooks/twilio/sms/status", form("SMx", "delivered", null)).status()).isEqualTo(204);
        assertThat(twilio.post("/webhooks/twilio/sms/status?attemptId=abc", form("SMx", "delivered", null)).status()).isEqualTo(204);
        Attempt a = smsAttempt();
        assertThat(status(a.id(), "no-such-status", null).status()).isEqualTo(204);
        assertThat(stored(a.id())).isNull();
        assertThat(stored(987654321L)).isNull();
        assertThat(completions.stream().filter(c -> c.attemptId() == 987654321L)).isEmpty();
        assertThat(logs.lines()).anyMatch(l -> l.contains("unknown attempt=987654321") && l.contains("139****5678"));
    }

    @Test
    void aCallAttemptIsNotAnSmsAttempt() {
        Attempt a = smsAttempt();
        long call = queue.claim(ChannelKind.VOICE, clock.instant(), 100, "test", clock.instant().plusSeconds(600))
                .stream().filter(x -> x.caseId().equals(a.caseId())).findFirst().orElseThrow().attemptId();
        assertThat(status(call, "delivered", null).status()).isEqualTo(204);
        assertThat(stored(call)).isNull();
        assertThat(completions.stream().filter(c -> c.attemptId() == call)).isEmpty();
    }

    @Test
    void forgedStatusCallbacksAre403AndChangeNothing() {
        Attempt a = smsAttempt();
        Reply forged = twilio.post("/webhooks/twilio/sms/status?attemptId=" + a.id(), form(sid(a), "delivered", null),
                "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.json().getString("error")).isEqualTo("forbidden");
        // A real signature of another attempt's callback, replayed against this attempt.
        Attempt other = smsAttempt();
        String signedForOther = TwilioTestRequests.sign(AUTH_TOKEN,
                PUBLIC_URL + "/webhooks/twilio/sms/status?attemptId=" + other.id(), form(sid(a), "delivered", null));
        assertThat(twilio.post("/webhooks/twilio/sms/status?attemptId=" + a.id(), form(sid(a), "delivered", null),
                signedForOther).status()).isEqualTo(403);
        assertThat(stored(a.id())).isNull();
        assertThat(completionsOf(a)).isEmpty();
    }

    // ---- inbound ----

    @Test
    void optOutKeywordsInChineseAndEnglishListTheSenderAndConfirmInBoth() {
        String[] words = {"STOP", " stop ", "Stop", "退订", "退订。", "TD", "td", "ＴＤ", "T", " t\n"};
        for (int i = 0; i < words.length; i++) {
            String from = String.format("+86137001%05d", i);
            Reply r = inbound(from, words[i]);
            assertThat(r.status()).as(words[i]).isEqualTo(200);
            assertThat(r.body()).as(words[i]).contains("<Response><Message>").contains("退订").contains("START")
                    .contains("</Message></Response>");
            assertThat(optOuts.isOptedOut(from)).as(words[i]).isTrue();
        }
        assertThat(received).noneMatch(s -> s.startsWith("+86137001"));
    }

    @Test
    void startAndSubscribeTakeTheSenderOffTheList() {
        String from = "+8613800138000";
        inbound(from, "退订");
        Reply r = inbound(from, "订阅");
        assertThat(r.body()).contains("<Message>").contains("恢复").contains("STOP");
        assertThat(optOuts.isOptedOut(from)).isFalse();
        inbound(from, "stop");
        assertThat(optOuts.isOptedOut(from)).isTrue();
        assertThat(inbound(from, " Start ").body()).contains("<Message>");
        assertThat(optOuts.isOptedOut(from)).isFalse();
    }

    @Test
    void anyOtherTextGoesToTheListenerAndGetsAnEmptyResponse() {
        String from = "+8613800138111";
        Reply r = inbound(from, "我在家，不要打了 stop");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).endsWith("<Response/>");
        assertThat(received).contains(from + "|我在家，不要打了 stop");
        assertThat(optOuts.isOptedOut(from)).isFalse();
    }

    @Test
    void aSenderThatIsNoE164NumberIsIgnored() {
        Reply r = inbound("TWILIO", "STOP");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).endsWith("<Response/>");
        assertThat(optOuts.isOptedOut("TWILIO")).isFalse();
    }

    @Test
    void forgedInboundIs403AndOptsNobodyOut() {
        String from = "+8613800138222";
        Reply r = twilio.post("/webhooks/twilio/sms/inbound", inboundForm(from, "STOP"), "forged");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().getString("error")).isEqualTo("forbidden");
        assertThat(twilio.post("/webhooks/twilio/sms/inbound", inboundForm(from, "STOP"), null).status()).isEqualTo(403);
        assertThat(optOuts.isOptedOut(from)).isFalse();
    }

    @Test
    void theAdaptersAcceptedListenerStoresTheSidWithoutCompleting() {
        Attempt a = smsAttempt();
        SmsStatusUpdates updates = new SmsStatusUpdates(new JdbcSmsStatuses(db), (id, o, d, now) -> {
            throw new AssertionError("the 201 path must not complete the attempt");
        }, clock);
        updates.accepted(a.id(), sid(a), org.screening.outreach.channels.sms.twilio.TwilioSmsStatus.QUEUED);
        assertThat(stored(a.id())).isEqualTo("queued");
        status(a.id(), "sent", null);
        updates.accepted(a.id(), sid(a), org.screening.outreach.channels.sms.twilio.TwilioSmsStatus.QUEUED); // late 201
        assertThat(stored(a.id())).isEqualTo("sent");
    }

    @Test
    void twimlAnswersAreWhatTwilioExpects() {
        assertThat(SmsInboundWebhook.response(null)).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        assertThat(SmsInboundWebhook.response("a & b")).endsWith("<Response><Message>a &amp; b</Message></Response>");
        // Confirmations are billed like any SMS: UCS-2, keep them within two parts.
        assertThat(org.screening.outreach.sms.Segments.count(SmsInboundWebhook.OPTED_OUT).segments()).isLessThanOrEqualTo(2);
        assertThat(org.screening.outreach.sms.Segments.count(SmsInboundWebhook.OPTED_IN).segments()).isLessThanOrEqualTo(2);
    }

    // ---- helpers ----

    /** A claimed SMS attempt of a fresh RED case (RED is texted at once, day or night). */
    static Attempt smsAttempt() {
        String caseId = cases.push("红码", true);
        queue.planNewCases(clock.instant(), 100);
        List<OutboundAttempt> claimed = queue.claim(ChannelKind.SMS, clock.instant(), 100, "test", clock.instant().plusSeconds(600));
        return new Attempt(claimed.stream().filter(x -> x.caseId().equals(caseId)).findFirst().orElseThrow().attemptId(), caseId);
    }

    static String sid(Attempt a) {
        return String.format("SM%032d", a.id());
    }

    static Map<String, String> form(String sid, String status, String errorCode) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("AccountSid", "AC00000000000000000000000000000000");
        f.put("ApiVersion", "2010-04-01");
        f.put("From", "+15005550006");
        f.put("To", TO);
        f.put("MessageSid", sid);
        f.put("SmsSid", sid);
        f.put("MessageStatus", status);
        f.put("SmsStatus", status);
        if (errorCode != null) f.put("ErrorCode", errorCode);
        return f;
    }

    static Reply status(long attemptId, String status, String errorCode) {
        return twilio.post("/webhooks/twilio/sms/status?attemptId=" + attemptId,
                form(String.format("SM%032d", attemptId), status, errorCode));
    }

    static Map<String, String> inboundForm(String from, String body) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("AccountSid", "AC00000000000000000000000000000000");
        f.put("MessageSid", "SM" + Integer.toHexString(body.hashCode()) + from.substring(from.length() - 4));
        f.put("From", from);
        f.put("To", "+15005550006");
        f.put("Body", body);
        f.put("NumMedia", "0");
        return f;
    }

    static Reply inbound(String from, String body) {
        return twilio.post("/webhooks/twilio/sms/inbound", inboundForm(from, body));
    }

    static List<Completion> completionsOf(Attempt a) {
        return completions.stream().filter(c -> c.attemptId() == a.id()).toList();
    }

    static List<String> smsEvents(Attempt a) {
        return ledger.events(a.caseId()).stream().map(LedgerEvent::type).filter(t -> t.startsWith("SMS_")).toList();
    }

    /** The case's status and its attempts still to come, as one comparable line. */
    static String caseRow(String caseId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT k.status, (SELECT COUNT(*) FROM attempts a WHERE "
                     + "a.case_id = k.id AND a.status = 'PLANNED') FROM cases k WHERE k.id = ?")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1) + " planned=" + rs.getInt(2);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String stored(long attemptId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM sms_status WHERE attempt_id = ?")) {
            ps.setLong(1, attemptId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void checkThread() {
        if (Context.isOnEventLoopThread()) jdbcOnEventLoop.set(true);
    }

    static SmsStatuses offEventLoop(SmsStatuses s) {
        return new SmsStatuses() {
            @Override
            public Current current(long attemptId) {
                checkThread();
                return s.current(attemptId);
            }

            @Override
            public boolean replace(long attemptId, String expected, String messageSid, String status, String errorCode,
                                   Instant now) {
                checkThread();
                return s.replace(attemptId, expected, messageSid, status, errorCode, now);
            }
        };
    }

    static OptOuts offEventLoop(OptOuts o) {
        return new OptOuts() {
            @Override
            public void optOut(String e164, String source, Instant now) {
                checkThread();
                o.optOut(e164, source, now);
            }

            @Override
            public boolean optIn(String e164, Instant at) {
                checkThread();
                return o.optIn(e164, at);
            }

            @Override
            public boolean isOptedOut(String e164) {
                return o.isOptedOut(e164); // also read by the test thread itself
            }
        };
    }
}
