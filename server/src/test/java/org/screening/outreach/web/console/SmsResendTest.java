package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.store.JdbcOptOuts;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * Staff re-send a case's reminder SMS over the API and from the case page: planned due now, delivered by the sim
 * provider, in the ledger; refused with its reason for a pending reminder, a landline, STOP, a closed case.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class SmsResendTest {
    static final String ADMIN = "resend-admin";
    static final String PASSWORD = "gridworker-2022";
    // 23:00 in Chengdu: RED is texted at once, a YELLOW case's first SMS waits for the morning (PLANNED meanwhile).
    static final MutableClock clock = new MutableClock(
            ZonedDateTime.of(2022, 4, 1, 23, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
    @TempDir
    static Path dir;
    static TestDb testDb;
    static OutreachServer server;
    static Http http;
    static String red;
    static String redConsole;
    static String yellow;
    static String landline;
    static String optedOut;
    static String closed;

    @BeforeAll
    static void start(TestDb db) {
        testDb = db;
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dir.resolve("data").toString(),
                "OUTREACH_SIM_TALK_SECONDS", "0", "OUTREACH_SIM_RING_SECONDS", "0",
                // The first call 50 minutes on: the sim would answer it at once and verify the case.
                "OUTREACH_PLAN_RED", "sms=0;calls=50m")), clock);
        http = new Http(server.port());
        JsonArray rows = new JsonArray()
                .add(row("S1", "13800001501", "红码"))
                .add(row("S2", "13800001502", "红码"))
                .add(row("S3", "13800001503", "黄码"))
                .add(row("S4", "028-85123456", "红码"))
                .add(row("S5", "13800001505", "红码"))
                .add(row("S6", "13800001506", "红码"));
        JsonArray ids = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "resend").put("cases", rows))
                .json().getJsonArray("cases");
        red = ids.getJsonObject(0).getString("id");
        redConsole = ids.getJsonObject(1).getString("id");
        yellow = ids.getJsonObject(2).getString("id");
        landline = ids.getJsonObject(3).getString("id");
        optedOut = ids.getJsonObject(4).getString("id");
        closed = ids.getJsonObject(5).getString("id");
        new JdbcOptOuts(db.database()).optOut("+8613800001505", clock.instant());
        Await.until("the first reminders went out", Duration.ofSeconds(20), () -> tick()
                && has(red, "SMS_DELIVERED") && has(redConsole, "SMS_DELIVERED") && has(yellow, "PLANNED"));
        // A community system reports the isolation and closes the case (销号).
        Http.Reply done = http.postJson("/api/v1/cases/" + closed + "/results", ADMIN, new JsonObject()
                .put("result", "home_isolation").put("system", "社区系统").put("close", true).put("reason", "居家隔离"));
        assertThat(done.json().getString("status")).as(done.body()).isEqualTo("CLOSED");
        assertThat(http.postJson("/api/v1/staff", ADMIN, new JsonObject().put("username", "resend.a").put("password", PASSWORD)
                .put("displayName", "网格员").put("role", "community").put("jurisdictionPrefix", "510104001001")
                .put("admin", false)).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    static JsonObject row(String ext, String phone, String category) {
        return new JsonObject().put("externalId", ext).put("name", "孙" + ext).put("phone", phone)
                .put("category", category).put("jurisdiction", "510104001001");
    }

    /** Virtual time moves a second per poll so the SMS rate limit refills (never into the morning). */
    static boolean tick() {
        clock.advance(Duration.ofSeconds(1));
        return true;
    }

    static List<JsonObject> events(String id) {
        return http.get("/api/v1/cases/" + id, ADMIN).json().getJsonArray("events").stream().map(e -> (JsonObject) e).toList();
    }

    static boolean has(String id, String type) {
        return events(id).stream().anyMatch(e -> e.getString("type").equals(type));
    }

    static Optional<JsonObject> eventOfAttempt(String id, String type, long attempt) {
        return events(id).stream().filter(e -> e.getString("type").equals(type)
                && Long.valueOf(attempt).equals(e.getJsonObject("data").getLong("attempt"))).findFirst();
    }

    /** The attempt's kind, status and due time as stored. */
    static Map<String, Object> attempt(long id) throws Exception {
        try (Connection c = testDb.database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT kind, status, due_at FROM attempts WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return Map.of("kind", rs.getString(1), "status", rs.getString(2), "due", rs.getTimestamp(3).toInstant());
            }
        }
    }

    @Test
    void theApiPlansAnSmsDueNowThatIsDeliveredAndWrittenToTheLedger() throws Exception {
        java.time.Instant before = clock.instant();
        Http.Reply r = http.postJson("/api/v1/cases/" + red + "/sms", ADMIN, new JsonObject());
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        long id = r.json().getLong("attempt");
        Map<String, Object> a = attempt(id);
        assertThat(a.get("kind")).isEqualTo("SMS");
        assertThat((java.time.Instant) a.get("due")).isBeforeOrEqualTo(clock.instant()).isAfterOrEqualTo(
                before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        JsonObject requested = eventOfAttempt(red, "SMS_RESEND_REQUESTED", id).orElseThrow();
        assertThat(requested.getJsonObject("data").getString("by")).isNotEmpty();
        Await.until("the re-sent SMS is delivered", Duration.ofSeconds(20),
                () -> tick() && eventOfAttempt(red, "SMS_DELIVERED", id).isPresent());
        assertThat(attempt(id).get("status")).isEqualTo("DONE");
    }

    @Test
    void aReminderAlreadyOnItsWayIsNotSentTwice() {
        Http.Reply r = http.postJson("/api/v1/cases/" + yellow + "/sms", ADMIN, new JsonObject());
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().getString("message")).contains("already on its way");
    }

    @Test
    void landlinesOptedOutNumbersAndClosedCasesAreRefusedWithTheirReason() {
        Http.Reply l = http.postJson("/api/v1/cases/" + landline + "/sms", ADMIN, new JsonObject());
        assertThat(l.status()).isEqualTo(409);
        assertThat(l.json().getString("message")).contains("landline");
        Http.Reply o = http.postJson("/api/v1/cases/" + optedOut + "/sms", ADMIN, new JsonObject());
        assertThat(o.status()).isEqualTo(409);
        assertThat(o.json().getString("message")).contains("STOP");
        Http.Reply c = http.postJson("/api/v1/cases/" + closed + "/sms", ADMIN, new JsonObject());
        assertThat(c.status()).isEqualTo(409);
        assertThat(c.json().getString("message")).contains("CLOSED");
        assertThat(has(landline, "SMS_RESEND_REQUESTED") || has(optedOut, "SMS_RESEND_REQUESTED")
                || has(closed, "SMS_RESEND_REQUESTED")).isFalse();
    }

    @Test
    void scopeAndBadInputAreAnsweredAsUsual() {
        String other = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", "社区B").put("role", "community")
                .put("jurisdiction", "510104001002")).json().getString("token");
        assertThat(http.postJson("/api/v1/cases/" + yellow + "/sms", other, new JsonObject()).status()).isEqualTo(403);
        assertThat(http.postJson("/api/v1/cases/" + yellow + "/sms", null, new JsonObject()).status()).isEqualTo(401);
        assertThat(http.postJson("/api/v1/cases/01M84GSPZMCWDZCHMS8DY5DHAP/sms", ADMIN, new JsonObject()).status())
                .isEqualTo(404);
        assertThat(http.postJson("/api/v1/cases/not-an-id/sms", ADMIN, new JsonObject()).status()).isEqualTo(404);
        for (String garbage : List.of("{{{", "[1]", "\u0000\u00ff", "")) {
            Http.Reply r = http.post("/api/v1/cases/" + yellow + "/sms", ADMIN, "application/json",
                    garbage.getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(garbage).isBetween(400, 499);
            assertThat(r.body()).startsWith("{");
        }
    }

    @Test
    void theCasePageButtonSendsItAndShowsTheNoticeOrTheRefusal() {
        ConsoleClient browser = new ConsoleClient(server.port());
        assertThat(browser.login("resend.a", PASSWORD).statusCode()).isEqualTo(303);
        String page = browser.get("/console/cases/" + redConsole).body();
        assertThat(page).contains("id=\"sms-form\"").contains("重发提醒短信");
        assertThat(browser.post("/console/cases/" + redConsole + "/sms", Map.of()).statusCode())
                .as("no CSRF token").isEqualTo(403);
        HttpResponse<String> sent = browser.post("/console/cases/" + redConsole + "/sms",
                Map.of("csrf", ConsoleClient.csrf(page)));
        assertThat(sent.statusCode()).isEqualTo(303);
        String location = sent.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo("/console/cases/" + redConsole + "?done=sms");
        assertThat(browser.get(location).body()).contains("提醒短信正在发送");
        assertThat(has(redConsole, "SMS_RESEND_REQUESTED")).isTrue();
        assertThat(events(redConsole).stream().filter(e -> e.getString("type").equals("SMS_RESEND_REQUESTED"))
                .findFirst().orElseThrow().getJsonObject("data").getString("by")).isEqualTo("resend.a");

        HttpResponse<String> refused = browser.post("/console/cases/" + yellow + "/sms",
                Map.of("csrf", ConsoleClient.csrf(page)));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("提醒短信已在发送中");
        assertThat(browser.get("/console/cases/" + landline).body()).doesNotContain("id=\"sms-form\"");
        assertThat(browser.get("/console/cases/" + landline + "?lang=en").statusCode()).isEqualTo(200);
    }
}
