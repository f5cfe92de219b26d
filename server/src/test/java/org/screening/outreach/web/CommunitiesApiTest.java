package org.screening.outreach.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.FormBody;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * Community names (PUT/GET /api/v1/communities) and where people meet them: the reminder SMS, sent through the real
 * Twilio SDK to a stub, says which community to report to instead of a division code.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CommunitiesApiTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String ADMIN = "names-admin";
    static final MutableClock clock = new MutableClock(
            ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
    static WireMockServer twilio;
    static OutreachServer server;
    static Http http;

    @BeforeAll
    static void start(TestDb db, @TempDir Path dir) {
        twilio = new WireMockServer(options().dynamicPort());
        twilio.start();
        twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/" + SID + "/Messages.json")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"account_sid":"%s","sid":"SM0000000000000000000000000000002b","status":"queued",
                         "to":"+8613800009001","from":"+15005550006","body":"x","num_segments":"2",
                         "date_created":"Fri, 01 Apr 2022 00:00:00 +0000","direction":"outbound-api"}""".formatted(SID))));
        Map<String, String> settings = new HashMap<>(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dir.toString(),
                "OUTREACH_PUBLIC_URL", "https://outreach.example.cn", "OUTREACH_SMS_PROVIDER", "twilio",
                "TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", "tok3n5ecret9f8e7d6c5b4a39281706f",
                "TWILIO_FROM", "+15005550006", "TWILIO_API_BASE", "http://127.0.0.1:" + twilio.port()));
        settings.put("OUTREACH_SIM_ANSWER_PERCENT", "0");
        server = OutreachServer.start(ConfigLoader.fromMap(settings), clock);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
        twilio.stop();
    }

    static JsonObject entry(String code, Object name) {
        return new JsonObject().put("code", code).put("name", name);
    }

    static Reply put(String token, JsonObject... entries) {
        return http.putJson("/api/v1/communities", token,
                new JsonObject().put("communities", new JsonArray(List.of((Object[]) entries))));
    }

    static Map<String, String> names(String token) {
        Reply r = http.get("/api/v1/communities", token);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().getJsonArray("communities").stream().map(o -> (JsonObject) o)
                .collect(Collectors.toMap(o -> o.getString("code"), o -> o.getString("name")));
    }

    static String token(String role, String prefix) {
        Reply r = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", role + "-" + prefix)
                .put("role", role).put("jurisdiction", prefix));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().getString("token");
    }

    @Test
    void theReminderNamesTheCommunityOrItsStreetAndNeverADivisionCode() {
        String county = token("county", "510104");
        assertThat(put(county, entry("510104001", "玉林街道"), entry("510104001001", " 玉林街道玉林社区 ")).status())
                .isEqualTo(200);
        assertThat(names(county)).containsEntry("510104001001", "玉林街道玉林社区").containsEntry("510104001", "玉林街道");

        JsonArray rows = new JsonArray()
                .add(person("N1", "13800007001", "510104001001"))  // named itself
                .add(person("N2", "13800007002", "510104001002"))  // only its street is named
                .add(person("N3", "13800007003", "510105002003")); // nothing named above it
        assertThat(http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "names").put("cases", rows))
                .status()).isEqualTo(200);
        Await.until("three reminders sent", Duration.ofSeconds(20), () -> {
            clock.advance(Duration.ofSeconds(1));
            return bodies().size() == 3;
        });
        Map<String, String> body = bodies();
        assertThat(body.get("+8613800007001")).contains("向玉林街道玉林社区报告");
        assertThat(body.get("+8613800007002")).contains("向玉林街道报告");
        assertThat(body.get("+8613800007003")).contains("向社区报告").doesNotContain("510105002003");
    }

    @Test
    void aListWithOneBadEntrySavesNothingAndSaysWhichEntriesAreWrong() {
        Reply r = put(ADMIN, entry("510104002001", "跳伞塔社区"), entry("51010400200", "十一位"),
                entry("510104002002", "<script>"), entry("510104002003", "长".repeat(41)), entry("510104002001", "又一次"));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().getJsonArray("errors").stream().map(o -> ((JsonObject) o).getInteger("index")).toList())
                .containsExactly(1, 2, 3, 4);
        assertThat(names(ADMIN)).doesNotContainKey("510104002001");

        assertThat(http.putJson("/api/v1/communities", ADMIN, new JsonObject().put("communities", "x")).status())
                .isEqualTo(400);
        assertThat(http.post("/api/v1/communities", ADMIN, "application/json", "{".getBytes()).status())
                .isEqualTo(404);
    }

    @Test
    void eachJurisdictionNamesAndSeesOnlyItsOwnDivisions() {
        String community = token("community", "510104003001");
        assertThat(put(community, entry("510104003001", "望江社区")).status()).isEqualTo(200);
        Reply outside = put(community, entry("510104003002", "别人的社区"));
        assertThat(outside.status()).isEqualTo(403);
        assertThat(put(token("staff", "510104003001"), entry("510104003001", "改名")).status()).isEqualTo(403);
        assertThat(names(ADMIN)).containsEntry("510104003001", "望江社区").doesNotContainKey("510104003002");
        assertThat(names(community)).containsOnlyKeys("510104003001");

        assertThat(put(community, entry("510104003001", null)).json().getInteger("removed")).isEqualTo(1);
        assertThat(names(community)).isEmpty();
    }

    static JsonObject person(String id, String phone, String jurisdiction) {
        return new JsonObject().put("externalId", id).put("name", "张三").put("phone", phone).put("category", "黄码")
                .put("jurisdiction", jurisdiction);
    }

    /** SMS bodies sent to Twilio, by recipient. */
    static Map<String, String> bodies() {
        return twilio.findAll(postRequestedFor(urlPathMatching(".*/Messages.json"))).stream()
                .map(r -> FormBody.parse(r.getBodyAsString()))
                .collect(Collectors.toMap(m -> m.get("To"), m -> m.get("Body"), (a, b) -> a));
    }
}
