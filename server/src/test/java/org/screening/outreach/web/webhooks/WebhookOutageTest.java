package org.screening.outreach.web.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.store.Database;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcOptOuts;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.support.LogCapture;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.support.TcpProxy;

/**
 * Twilio callbacks while the database is away (issue 8 item 3), against the real server: its database connection
 * runs through a loopback relay the test cuts (connections reset, new ones refused, as in a database restart) and
 * restores. Status callbacks and an inbound STOP are answered 2xx, spooled to disk and applied once the database is
 * back; replaying them again changes nothing; a damaged spool file is set aside; the voice step answers TwiML.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class WebhookOutageTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "tok3n5ecret9f8e7d6c5b4a39281706f";
    static final String PUBLIC = "https://outreach.example.cn";
    static final String TO = "+8613912340001";
    static final String OPTING_OUT = "+8613900007777";
    static final Instant NINE_AM = ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant();

    @Test
    void callbacksDuringAnOutageAreAnsweredSpooledAndAppliedOnceTheDatabaseIsBack(TestDb db, @TempDir Path dir)
            throws Exception {
        MutableClock clock = new MutableClock(NINE_AM);
        JdbcAttemptQueue queue = queue(db);
        String caseId = new Cases(db.database(), clock).push("红码", true);
        queue.planNewCases(clock.instant(), 100);
        long sms = sent(queue, ChannelKind.SMS, caseId, "SM0000000000000000000000000000000a");
        long call = sent(queue, ChannelKind.VOICE, caseId, "CA0000000000000000000000000000000b");
        Path spool = dir.resolve("spool").resolve("webhooks");

        try (LogCapture logs = new LogCapture("org.screening.outreach");
             TcpProxy proxy = new TcpProxy(port(db.url()));
             OutreachServer server = server(db, proxy, dir, clock)) {
            TwilioTestRequests twilio = new TwilioTestRequests(server.port(), PUBLIC, TOKEN);
            Http http = new Http(server.port());

            proxy.cut();
            // A balancer's check gives up after 5 s (HAProxy here) and would take the node out, though it can still
            // spool callbacks: /health says DOWN well before that, not after the pool's 10 s connection timeout.
            java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + "/health"))
                            .timeout(Duration.ofSeconds(5)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(health.body()).contains("\"DOWN\"");
            assertThat(twilio.post("/webhooks/twilio/sms/status?attemptId=" + sms, Map.of("AccountSid", SID,
                    "MessageSid", "SM0000000000000000000000000000000a", "MessageStatus", "delivered", "To", TO)).status())
                    .isEqualTo(204);
            Reply stop = twilio.post("/webhooks/twilio/sms/inbound", Map.of("AccountSid", SID, "From", OPTING_OUT,
                    "Body", "退订", "MessageSid", "SM0000000000000000000000000000000c"));
            assertThat(stop.status()).isEqualTo(200);
            assertThat(stop.body()).contains("您已退订");
            assertThat(twilio.post("/webhooks/twilio/voice/status?attemptId=" + call, Map.of("AccountSid", SID,
                    "CallSid", "CA0000000000000000000000000000000b", "CallStatus", "no-answer", "To", TO)).status())
                    .isEqualTo(204);
            // The two cannot wait for the database: a call step answers TwiML, an API call 503 (its caller retries).
            CompletableFuture<Reply> step = CompletableFuture.supplyAsync(() -> twilio.post("/webhooks/twilio/voice/" + call,
                    Map.of("AccountSid", SID, "CallSid", "CA0000000000000000000000000000000b", "CallStatus", "in-progress")));
            CompletableFuture<Reply> api = CompletableFuture.supplyAsync(() -> http.get("/api/v1/cases/" + caseId, "t"));
            assertThat(step.join().status()).isEqualTo(200);
            assertThat(step.join().body()).contains("<Say").contains("对不起").contains("<Hangup");
            // An English case's call names its language in the URL: the apology is in English, with an English voice.
            Reply english = twilio.post("/webhooks/twilio/voice/" + call + "?lang=en", Map.of("AccountSid", SID,
                    "CallSid", "CA0000000000000000000000000000000b", "CallStatus", "in-progress"));
            assertThat(english.status()).isEqualTo(200);
            assertThat(english.body()).contains("<Say language=\"en-US\" voice=\"Polly.Joanna\">Sorry").doesNotContain("对不起")
                    .contains("<Hangup");
            assertThat(api.join().status()).isEqualTo(503);
            assertThat(api.join().json().getString("error")).isEqualTo("unavailable");

            List<Path> spooled = files(spool);
            assertThat(spooled).as("3 callbacks and the marks of the 2 calls that broke off").hasSize(5);
            assertThat(attempt(db.database(), sms)).isEqualTo("SENT");
            assertThat(new JdbcOptOuts(db.database()).isOptedOut(OPTING_OUT)).isFalse();
            Path copies = Files.createDirectories(dir.resolve("copies"));
            for (Path f : spooled) Files.copy(f, copies.resolve(f.getFileName()));

            proxy.restore();
            Await.until("the spooled callbacks applied", Duration.ofSeconds(60), () -> files(spool).isEmpty());
            assertThat(attempt(db.database(), sms)).isEqualTo("DONE DELIVERED");
            assertThat(attempt(db.database(), call)).isEqualTo("DONE NO_ANSWER");
            assertThat(new JdbcOptOuts(db.database()).isOptedOut(OPTING_OUT)).isTrue();
            List<String> events = types(http, caseId);
            assertThat(events).containsOnlyOnce("SMS_DELIVERED", "CALL_NO_ANSWER");
            assertThat(metric(http, "webhook_spool_spooled_total")).isEqualTo(5);
            assertThat(metric(http, "webhook_spool_replayed_total")).isEqualTo(5);
            assertThat(metric(http, "webhook_spool_waiting")).isZero();

            // The same callbacks again (Twilio repeating itself, or a replay cut short before its deletes).
            try (Stream<Path> s = Files.list(copies)) {
                for (Path f : s.toList()) { // into place whole, as the spool writes, so the job never reads half a copy
                    Path hidden = spool.resolve("." + f.getFileName() + ".tmp");
                    Files.copy(f, hidden);
                    Files.move(hidden, spool.resolve(f.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
            }
            Await.until("the repeated callbacks replayed", Duration.ofSeconds(30), () -> files(spool).isEmpty());
            assertThat(metric(http, "webhook_spool_replayed_total")).isEqualTo(10);
            assertThat(types(http, caseId)).isEqualTo(events);
            assertThat(attempt(db.database(), sms)).isEqualTo("DONE DELIVERED");
            assertThat(new JdbcOptOuts(db.database()).isOptedOut(OPTING_OUT)).isTrue();

            // A damaged file is set aside and counted; the job goes on.
            Files.writeString(spool.resolve("0000000000001-000000001-damaged.json"), "{\"format\":\"outreach.webhook-callback/1\",");
            Await.until("the damaged file set aside", Duration.ofSeconds(30),
                    () -> Files.exists(spool.resolve("failed").resolve("0000000000001-000000001-damaged.json")));
            assertThat(metric(http, "webhook_spool_failed_total")).isEqualTo(1);
            assertThat(files(spool)).isEmpty();

            for (String line : logs.lines()) {
                assertThat(line).doesNotContain("13912340001").doesNotContain("13900007777").doesNotContain(TOKEN);
            }
        }
    }

    static JdbcAttemptQueue queue(TestDb db) {
        return new JdbcAttemptQueue(db.database(),
                new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
    }

    /** The server, not dispatching, its database connection through {@code proxy}, its data (the spool) in {@code dir}. */
    static OutreachServer server(TestDb db, TcpProxy proxy, Path dir, java.time.Clock clock) {
        return OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0",
                "OUTREACH_DB_URL", db.url().replace(":" + port(db.url()) + "/", ":" + proxy.port() + "/"),
                "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(), "OUTREACH_PUBLIC_URL", PUBLIC,
                "TWILIO_AUTH_TOKEN", TOKEN, "OUTREACH_DISPATCH", "off")), clock);
    }

    /** The attempt of that kind planned for the case, claimed and handed to "Twilio" (awaiting its callback). */
    static long sent(JdbcAttemptQueue queue, ChannelKind kind, String caseId, String providerRef) {
        Instant now = NINE_AM;
        OutboundAttempt a = queue.claim(kind, now, 100, "test", now.plusSeconds(600)).stream()
                .filter(x -> x.caseId().equals(caseId)).findFirst().orElseThrow();
        assertThat(queue.markSent(a.attemptId(), providerRef, now)).isTrue();
        return a.attemptId();
    }

    static String attempt(Database db, long id) throws SQLException {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT status, outcome FROM attempts WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(2) == null ? rs.getString(1) : rs.getString(1) + " " + rs.getString(2);
            }
        }
    }

    static List<Path> files(Path spool) {
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> types(Http http, String caseId) {
        Reply r = http.get("/api/v1/cases/" + caseId, "t");
        assertThat(r.status()).isEqualTo(200);
        return r.json().getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList();
    }

    static double metric(Http http, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(\\{[^}]*\\})? (\\S+)$").matcher(http.get("/metrics", null).body());
        assertThat(m.find()).as("metric " + name).isTrue();
        return Double.parseDouble(m.group(2));
    }

    static int port(String jdbcUrl) {
        Matcher m = Pattern.compile("//[^:/]+:(\\d+)/").matcher(jdbcUrl);
        assertThat(m.find()).as(jdbcUrl).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
