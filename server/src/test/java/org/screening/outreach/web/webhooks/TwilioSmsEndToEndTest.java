package org.screening.outreach.web.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.FormBody;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/** The reminder SMS through the real Twilio SDK against a stub, its status callback, and an opted-out number. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class TwilioSmsEndToEndTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "tok3n5ecret9f8e7d6c5b4a39281706f";
    static final String PUBLIC = "https://outreach.example.cn";

    /** One data directory for the class: its servers share the schema, so they must share the generated ID keys. */
    @TempDir
    static Path dir;

    WireMockServer twilio;
    /** 09:00 in Chengdu: no quiet hours in the way. */
    final MutableClock clock = new MutableClock(ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());

    @BeforeEach
    void twilioStub() {
        twilio = new WireMockServer(options().dynamicPort());
        twilio.start();
        twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/" + SID + "/Messages.json")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"account_sid":"%s","sid":"SM0000000000000000000000000000001a","status":"queued",
                         "to":"+8613800009001","from":"+15005550006","body":"x","num_segments":"2",
                         "date_created":"Fri, 01 Apr 2022 00:00:00 +0000","direction":"outbound-api"}""".formatted(SID))));
    }

    @AfterEach
    void stopTwilio() {
        twilio.stop();
    }

    OutreachServer start(TestDb db) {
        Map<String, String> settings = new HashMap<>(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(), "OUTREACH_PUBLIC_URL", PUBLIC,
                "OUTREACH_SMS_PROVIDER", "twilio", "TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN,
                "TWILIO_FROM", "+15005550006", "TWILIO_API_BASE", "http://127.0.0.1:" + twilio.port()));
        settings.put("OUTREACH_SIM_ANSWER_PERCENT", "0"); // keep the calls from settling the cases
        return OutreachServer.start(ConfigLoader.fromMap(settings), clock);
    }

    @Test
    void aPushedCaseGetsItsReminderWithTheSelfReportLinkAndOptedOutNumbersGetNone(TestDb db) {
        try (OutreachServer server = start(db)) {
            Http http = new Http(server.port());
            TwilioTestRequests signed = new TwilioTestRequests(server.port(), PUBLIC, TOKEN);
            assertThat(signed.post("/webhooks/twilio/sms/inbound", Map.of("From", "+8613800009002", "Body", "退订",
                    "MessageSid", "SM9", "AccountSid", SID)).status()).isEqualTo(200);

            JsonArray rows = new JsonArray()
                    .add(new JsonObject().put("externalId", "T1").put("name", "张三").put("phone", "13800009001")
                            .put("category", "黄码").put("jurisdiction", "510104001001"))
                    .add(new JsonObject().put("externalId", "T2").put("name", "李四").put("phone", "13800009002")
                            .put("category", "黄码").put("jurisdiction", "510104001001"));
            JsonObject answer = http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "sms-e2e").put("cases", rows)).json();
            String reached = answer.getJsonArray("cases").getJsonObject(0).getString("id");
            String optedOut = answer.getJsonArray("cases").getJsonObject(1).getString("id");

            Await.until("the reminder went to Twilio and the opted-out SMS was skipped", Duration.ofSeconds(20), () -> {
                clock.advance(Duration.ofSeconds(1));
                return !twilio.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))).isEmpty()
                        && types(http, optedOut).contains("SMS_FAILED");
            });
            List<Map<String, String>> sent = twilio.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))).stream()
                    .map(r -> FormBody.parse(r.getBodyAsString())).toList();
            assertThat(sent).hasSize(1);
            Map<String, String> sms = sent.get(0);
            assertThat(sms.get("To")).isEqualTo("+8613800009001");
            assertThat(sms.get("Body")).contains("张*").contains(PUBLIC + "/r/").doesNotContain("张三");
            assertThat(event(http, optedOut, "SMS_FAILED").getJsonObject("data").getString("skipped")).isEqualTo("opted_out");

            URI callback = URI.create(sms.get("StatusCallback"));
            assertThat(callback.toString()).startsWith(PUBLIC + "/webhooks/twilio/sms/status");
            assertThat(signed.post(callback.getRawPath() + "?" + callback.getRawQuery(), Map.of("MessageSid",
                    "SM0000000000000000000000000000001a", "MessageStatus", "delivered", "AccountSid", SID)).status())
                    .isBetween(200, 204);
            Await.until("delivery recorded", Duration.ofSeconds(10), () -> types(http, reached).contains("SMS_DELIVERED"));

            // What an operator watches: how many requests each SMS client lets fly (8 to start) and has open. The
            // sender thread leaves the pool just after Twilio's answer, which the callback can overtake on a busy machine.
            java.util.regex.Pattern idle = java.util.regex.Pattern.compile(
                    "sms_senders_in_flight\\{client=\"reminders\"[^}]*\\} 0\\.0");
            Await.until("the reminder's sender is back in the pool", Duration.ofSeconds(10),
                    () -> idle.matcher(http.get("/metrics", null).body()).find());
            String metrics = http.get("/metrics", null).body();
            assertThat(metrics).containsPattern("sms_senders_limit\\{client=\"reminders\"[^}]*\\} 8\\.0")
                    .containsPattern("sms_senders_limit\\{client=\"campaigns\"[^}]*\\} 8\\.0");
        }
    }

    /** Issue 4 item 1: an English-speaking person gets the English reminder; a Chinese one still the Chinese. */
    @Test
    void anEnglishCaseGetsTheReminderInEnglish(TestDb db) {
        try (OutreachServer server = start(db)) {
            Http http = new Http(server.port());
            // 510104009009 has no community name: the reminder says the plain word in the person's language.
            JsonArray rows = new JsonArray()
                    .add(new JsonObject().put("externalId", "E1").put("name", "John Smith").put("phone", "13800009101")
                            .put("category", "黄码").put("jurisdiction", "510104009009").put("language", "en"))
                    .add(new JsonObject().put("externalId", "Z1").put("name", "张三").put("phone", "13800009102")
                            .put("category", "黄码").put("jurisdiction", "510104009009"));
            http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "sms-lang").put("cases", rows));

            Map<String, String>[] bodies = new Map[1];
            Await.until("both reminders went to Twilio", Duration.ofSeconds(20), () -> {
                clock.advance(Duration.ofSeconds(1));
                bodies[0] = new HashMap<>();
                twilio.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))).stream()
                        .map(r -> FormBody.parse(r.getBodyAsString())).forEach(f -> bodies[0].put(f.get("To"), f.get("Body")));
                return bodies[0].size() == 2;
            });
            assertThat(bodies[0].get("+8613800009101")).startsWith("[Epidemic control] J")
                    .contains("you are listed as a yellow-code contact", "to community before ", PUBLIC + "/r/")
                    .doesNotContain("【疫情防控】", "社区", "Smith");
            assertThat(bodies[0].get("+8613800009102")).startsWith("【疫情防控】张*您好").contains("向社区报告");
        }
    }

    static List<String> types(Http http, String id) {
        return http.get("/api/v1/cases/" + id, "t").json().getJsonArray("events").stream()
                .map(e -> ((JsonObject) e).getString("type")).toList();
    }

    static JsonObject event(Http http, String id, String type) {
        return http.get("/api/v1/cases/" + id, "t").json().getJsonArray("events").stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("type").equals(type)).findFirst().orElseThrow();
    }

}
