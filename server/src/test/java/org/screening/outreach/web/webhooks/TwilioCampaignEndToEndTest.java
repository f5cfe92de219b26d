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
import java.util.List;
import java.util.Map;
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

/**
 * A campaign through the real Twilio SDK against a stub: its own StatusCallback id space
 * ({@code ?campaignRecipient=}) on the contract's status route, callbacks applied monotonically, opt-outs skipped.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class TwilioCampaignEndToEndTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "tok3n5ecret9f8e7d6c5b4a39281706f";
    static final String PUBLIC = "https://outreach.example.cn";

    @Test
    void campaignMessagesCarryTheirRecipientAndTheirCallbacksReachTheCampaign(TestDb db, @TempDir Path dir) {
        WireMockServer twilio = new WireMockServer(options().dynamicPort());
        twilio.start();
        twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/" + SID + "/Messages.json")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"account_sid":"%s","sid":"SM00000000000000000000000000000c01","status":"queued",
                         "to":"+8613800009101","from":"+15005550006","body":"x","num_segments":"2",
                         "date_created":"Fri, 01 Apr 2022 00:00:00 +0000","direction":"outbound-api"}""".formatted(SID))));
        MutableClock clock = new MutableClock(ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
        Map<String, String> settings = Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(), "OUTREACH_PUBLIC_URL", PUBLIC,
                "OUTREACH_SMS_PROVIDER", "twilio", "TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN,
                "TWILIO_FROM", "+15005550006", "TWILIO_API_BASE", "http://127.0.0.1:" + twilio.port());
        try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(settings), clock)) {
            Http http = new Http(server.port());
            TwilioTestRequests signed = new TwilioTestRequests(server.port(), PUBLIC, TOKEN);
            assertThat(signed.post("/webhooks/twilio/sms/inbound", Map.of("From", "+8613800009102", "Body", "TD",
                    "MessageSid", "SM9", "AccountSid", SID)).status()).isEqualTo(200);

            JsonObject created = http.postJson("/api/v1/campaigns", "t", new JsonObject()
                    .put("template", "campaign.self-report").put("quietHours", "none")
                    .put("variables", new JsonObject().put("sender", "成都市疫情防控指挥部").put("link", PUBLIC + "/report"))
                    .put("recipients", new JsonArray().add("13800009101").add("13800009102").add("13800009103"))).json();
            assertThat(created.getInteger("optedOut")).as(created.encode()).isEqualTo(1);
            long id = created.getLong("id");

            Await.until("both campaign messages went to Twilio", Duration.ofSeconds(20), () -> {
                clock.advance(Duration.ofSeconds(1));
                return twilio.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))).size() == 2;
            });
            List<Map<String, String>> sent = twilio.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))).stream()
                    .map(r -> FormBody.parse(r.getBodyAsString())).toList();
            assertThat(sent).extracting(m -> m.get("To")).containsExactlyInAnyOrder("+8613800009101", "+8613800009103");
            assertThat(sent).allSatisfy(m -> {
                assertThat(m.get("Body")).startsWith("【成都市疫情防控指挥部】").contains(PUBLIC + "/report").contains("12320");
                assertThat(m.get("StatusCallback")).startsWith(PUBLIC + "/webhooks/twilio/sms/status?campaignRecipient=")
                        .doesNotContain("attemptId");
            });
            Await.until("both accepted", Duration.ofSeconds(10), () -> progress(http, id).getLong("sent") == 2);

            URI first = URI.create(sent.get(0).get("StatusCallback"));
            URI second = URI.create(sent.get(1).get("StatusCallback"));
            assertThat(callback(signed, first, "delivered", null)).isEqualTo(204);
            assertThat(callback(signed, first, "sent", null)).isEqualTo(204); // late and stale: ignored
            assertThat(callback(signed, second, "undelivered", "30003")).isEqualTo(204);
            assertThat(callback(signed, second, "delivered", null)).isEqualTo(204); // after a final word: ignored
            assertThat(callback(signed, URI.create(PUBLIC + "/webhooks/twilio/sms/status?campaignRecipient=99999"),
                    "delivered", null)).isEqualTo(204);
            assertThat(signed.post(first.getRawPath() + "?" + first.getRawQuery(),
                    Map.of("MessageStatus", "delivered"), "forged").status()).isEqualTo(403);

            JsonObject p = progress(http, id);
            assertThat(p.getLong("delivered")).isEqualTo(1);
            assertThat(p.getLong("failed")).isEqualTo(1);
            assertThat(p.getLong("optedOut")).isEqualTo(1);
            assertThat(p.getDouble("percent")).isEqualTo(100.0);
            Await.until("completed", Duration.ofSeconds(10), () -> {
                clock.advance(Duration.ofSeconds(1));
                return progress(http, id).getString("status").equals("COMPLETED");
            });
        } finally {
            twilio.stop();
        }
    }

    static int callback(TwilioTestRequests signed, URI url, String status, String errorCode) {
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("MessageSid", "SM00000000000000000000000000000c01",
                "MessageStatus", status, "AccountSid", SID));
        if (errorCode != null) form.put("ErrorCode", errorCode);
        return signed.post(url.getRawPath() + "?" + url.getRawQuery(), form).status();
    }

    static JsonObject progress(Http http, long id) {
        return http.get("/api/v1/campaigns/" + id, "t").json();
    }
}
