package org.screening.outreach.web;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/** The feed wired into a running server: parked deliveries listed, retried over the API, and counted in /metrics. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class LedgerDeliveriesApiTest {
    static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @Test
    void aRefusedDeliveryIsListedCountedAndRetried(TestDb db, @TempDir Path dir) {
        WireMockServer ledger = new WireMockServer(options().dynamicPort());
        ledger.start();
        ledger.stubFor(post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(422).withBody("schema?")));
        MutableClock clock = new MutableClock(Instant.parse("2022-04-01T01:00:00Z"));
        Map<String, String> settings = new HashMap<>(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(),
                "OUTREACH_LEDGER_URL", "http://127.0.0.1:" + ledger.port() + "/in", "OUTREACH_LEDGER_KEY", KEY));
        try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(settings), clock)) {
            Http http = new Http(server.port());
            JsonArray rows = new JsonArray().add(new JsonObject().put("externalId", "L1").put("name", "张三")
                    .put("phone", "13800007001").put("category", "RED").put("jurisdiction", "510104001001"));
            String caseId = http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "feed-api")
                    .put("cases", rows)).json().getJsonArray("cases").getJsonObject(0).getString("id");

            Await.until("the refused delivery is parked", Duration.ofSeconds(20),
                    () -> !failed(http, "t").isEmpty());
            JsonObject d = failed(http, "t").getJsonObject(0);
            assertThat(d.getString("caseId")).isEqualTo(caseId);
            assertThat(d.getString("status")).isEqualTo("failed");
            assertThat(d.getString("eventType")).isEqualTo("RECEIVED");
            assertThat(d.getString("eventId")).isEqualTo(caseId + "-" + d.getLong("sequence"));
            assertThat(d.getInteger("lastStatus")).isEqualTo(422);
            assertThat(d.getString("lastError")).isEqualTo("refused: HTTP 422: schema?");
            assertThat(d.getString("destination")).isEqualTo("http://127.0.0.1:" + ledger.port() + "/in");
            assertThat(d.getValue("nextAttemptAt")).isNull();

            String metrics = http.get("/metrics", null).body();
            assertThat(metrics).contains("ledger_feed_cases{status=\"failed\"} 1.0").contains("ledger_feed_parked_total 1.0");

            // Who may see a delivery may retry it: the community of the case does; another community sees nothing.
            String community = token(http, "社区A", "510104001001");
            String neighbour = token(http, "社区B", "510104001002");
            assertThat(failed(http, community)).hasSize(1);
            assertThat(failed(http, neighbour)).isEmpty();
            assertThat(http.post("/api/v1/ledger/deliveries/" + d.getLong("id") + "/retry", neighbour, "application/json",
                    new byte[0]).status()).isEqualTo(404);
            assertThat(http.post("/api/v1/ledger/deliveries/retry-failed", neighbour, "application/json", new byte[0])
                    .json().getInteger("requeued")).isZero();
            Http.Reply communitySkip = http.postJson("/api/v1/ledger/deliveries/" + d.getLong("id") + "/skip", community,
                    new JsonObject().put("reason", "不要了"));
            assertThat(communitySkip.status()).as("giving an event up is the task force's call").isEqualTo(403);
            assertThat(failed(http, community)).as("still parked").hasSize(1);
            assertThat(http.get("/api/v1/ledger/deliveries?status=lost", "t").status()).isEqualTo(400);
            assertThat(http.post("/api/v1/ledger/deliveries/999999/retry", "t", "application/json", new byte[0]).status())
                    .isEqualTo(404);

            ledger.resetMappings();
            ledger.stubFor(post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(200)));
            Http.Reply retried = http.post("/api/v1/ledger/deliveries/" + d.getLong("id") + "/retry", community,
                    "application/json", new byte[0]);
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.json().getString("status")).isEqualTo("pending");
            Await.until("the case's events are delivered", Duration.ofSeconds(20), () -> {
                JsonObject one = http.get("/api/v1/ledger/deliveries/" + d.getLong("id"), "t").json();
                return one.getString("status").equals("idle");
            });
            assertThat(failed(http, "t")).isEmpty();
            assertThat(http.post("/api/v1/ledger/deliveries/" + d.getLong("id") + "/retry", "t", "application/json",
                    new byte[0]).status()).isEqualTo(409);
            assertThat(http.post("/api/v1/ledger/deliveries/retry-failed", "t", "application/json", new byte[0]).json()
                    .getInteger("requeued")).isZero();
            assertThat(http.get("/metrics", null).body()).contains("ledger_feed_cases{status=\"failed\"} 0.0");
        } finally {
            ledger.stop();
        }
    }

    /**
     * A push for someone of Chongqing reached Chengdu's deployment (5101), which hands it over by itself; the case and
     * its transfer are the deployment's (its task force chases the receipt), so its parked deliveries are listed for,
     * and retried by, the tokens that see that transfer — the city's — not only the admin; a county's token does not
     * see them.
     */
    @Test
    void theDeliveriesOfAForeignPushAreTheDeploymentsAsItsTransferIs(@TempDir Path dir) {
        try (TestDb db = MariaDbExtension.freshSchema()) {
            WireMockServer ledger = new WireMockServer(options().dynamicPort());
            ledger.start();
            ledger.stubFor(post(urlPathEqualTo("/in")).willReturn(aResponse().withStatus(422).withBody("not yet")));
            Map<String, String> settings = new HashMap<>(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                    "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(), "OUTREACH_JURISDICTION", "5101",
                    "OUTREACH_LEDGER_URL", "http://127.0.0.1:" + ledger.port() + "/in", "OUTREACH_LEDGER_KEY", KEY));
            try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(settings),
                    new MutableClock(Instant.parse("2022-04-01T01:00:00Z")))) {
                Http http = new Http(server.port());
                JsonArray rows = new JsonArray()
                        .add(new JsonObject().put("externalId", "F1").put("name", "张三").put("phone", "13800007011")
                                .put("category", "RED").put("jurisdiction", "500104002003"))
                        .add(new JsonObject().put("externalId", "L1").put("name", "李四").put("phone", "13800007012")
                                .put("category", "RED").put("jurisdiction", "510104001001"));
                JsonArray cases = http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "province")
                        .put("cases", rows)).json().getJsonArray("cases");
                String foreign = cases.getJsonObject(0).getString("id");
                String local = cases.getJsonObject(1).getString("id");
                Await.until("both cases' deliveries are parked", Duration.ofSeconds(20),
                        () -> failed(http, "t").size() == 2);

                String city = http.postJson("/api/v1/tokens", "t", new JsonObject().put("name", "成都市专班")
                        .put("role", "city").put("jurisdiction", "5101")).json().getString("token");
                String county = http.postJson("/api/v1/tokens", "t", new JsonObject().put("name", "武侯区专班")
                        .put("role", "county").put("jurisdiction", "510104")).json().getString("token");
                assertThat(http.get("/api/v1/transfers?escalated=true", city).json().getJsonArray("transfers").encode())
                        .as("the city's task force chases the foreign push").contains(foreign);
                assertThat(failed(http, city).stream().map(o -> ((JsonObject) o).getString("caseId")))
                        .containsExactlyInAnyOrder(foreign, local);
                assertThat(failed(http, county).stream().map(o -> ((JsonObject) o).getString("caseId")))
                        .containsExactly(local);
                // A filter narrows the lists within the scope; a wider one is narrowed to it, and the answer says so.
                JsonObject ofCounty = http.get("/api/v1/ledger/deliveries?status=failed&jurisdiction=510104", city).json();
                assertThat(ofCounty.getJsonArray("deliveries").stream().map(o -> ((JsonObject) o).getString("caseId")))
                        .containsExactly(local);
                assertThat(ofCounty.getString("jurisdiction")).isEqualTo("510104");
                JsonObject wider = http.get("/api/v1/ledger/deliveries?status=failed&jurisdiction=51", county).json();
                assertThat(wider.getString("jurisdiction")).isEqualTo("510104");
                assertThat(wider.getString("note")).contains("wider than your scope");
                assertThat(http.get("/api/v1/ledger/deliveries?jurisdiction=5001", county).status()).isEqualTo(403);
                assertThat(http.get("/api/v1/transfers?escalated=true&jurisdiction=510104", city).json()
                        .getJsonArray("transfers")).as("the foreign push is filed under the city's own code").isEmpty();
                assertThat(http.get("/api/v1/transfers?escalated=true&jurisdiction=5101", city).json()
                        .getJsonArray("transfers").encode()).contains(foreign);
                assertThat(http.get("/api/v1/transfers?jurisdiction=51x", city).status()).isEqualTo(400);
                long id = failed(http, city).stream().map(o -> (JsonObject) o)
                        .filter(o -> o.getString("caseId").equals(foreign)).findFirst().orElseThrow().getLong("id");
                assertThat(http.get("/api/v1/ledger/deliveries/" + id, county).status()).isEqualTo(404);
                Http.Reply retried = http.post("/api/v1/ledger/deliveries/" + id + "/retry", city, "application/json",
                        new byte[0]);
                assertThat(retried.status()).as(retried.body()).isEqualTo(200);
                assertThat(retried.json().getString("caseId")).isEqualTo(foreign);
            } finally {
                ledger.stop();
            }
        }
    }

    @Test
    void anEventTheReceiverRefusesForGoodIsSkippedWithAReasonAndTheLaterOnesFlow(@TempDir Path dir) {
        // A schema of its own: the other test's parked delivery must not count in its figures.
        try (TestDb db = MariaDbExtension.freshSchema()) {
            skipOnce(db, dir);
        }
    }

    private void skipOnce(TestDb db, Path dir) {
        WireMockServer ledger = new WireMockServer(options().dynamicPort());
        ledger.start();
        // The receiver's schema has no room for RECEIVED events of this source; everything else it takes.
        ledger.stubFor(post(urlPathEqualTo("/in")).atPriority(2).willReturn(aResponse().withStatus(200)));
        ledger.stubFor(post(urlPathEqualTo("/in")).atPriority(1).withRequestBody(containing("\"type\":\"RECEIVED\""))
                .willReturn(aResponse().withStatus(422).withBody("unknown type")));
        MutableClock clock = new MutableClock(Instant.parse("2022-04-01T01:00:00Z"));
        Map<String, String> settings = new HashMap<>(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(),
                "OUTREACH_LEDGER_URL", "http://127.0.0.1:" + ledger.port() + "/in", "OUTREACH_LEDGER_KEY", KEY));
        try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(settings), clock)) {
            Http http = new Http(server.port());
            JsonArray rows = new JsonArray().add(new JsonObject().put("externalId", "S1").put("name", "李四")
                    .put("phone", "13800007002").put("category", "RED").put("jurisdiction", "510104001001"));
            String caseId = http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "feed-skip")
                    .put("cases", rows)).json().getJsonArray("cases").getJsonObject(0).getString("id");
            Await.until("RECEIVED is parked", Duration.ofSeconds(20), () -> failedOf(http, caseId) != null);
            JsonObject d = failedOf(http, caseId);
            String path = "/api/v1/ledger/deliveries/" + d.getLong("id") + "/skip";

            assertThat(http.postJson(path, "t", new JsonObject()).status()).as("a reason is required").isEqualTo(400);
            assertThat(http.postJson("/api/v1/ledger/deliveries/999999/skip", "t", new JsonObject().put("reason", "x"))
                    .status()).isEqualTo(404);
            Http.Reply skipped = http.postJson(path, "t", new JsonObject().put("reason", "市台账不收推送记录"));
            assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
            assertThat(skipped.json().getString("status")).isIn("pending", "idle");
            assertThat(http.postJson(path, "t", new JsonObject().put("reason", "again")).status()).isEqualTo(409);

            Await.until("the later events, the skip among them, reach the receiver", Duration.ofSeconds(20), () ->
                    ledger.getAllServeEvents().stream().anyMatch(e -> e.getRequest().getBodyAsString()
                            .contains("\"type\":\"LEDGER_DELIVERY_SKIPPED\"") && e.getResponse().getStatus() == 200));
            JsonObject skipEvent = http.get("/api/v1/cases/" + caseId, "t").json().getJsonArray("events").stream()
                    .map(o -> (JsonObject) o).filter(e -> e.getString("type").equals("LEDGER_DELIVERY_SKIPPED"))
                    .findFirst().orElseThrow();
            assertThat(skipEvent.getString("actor")).isEqualTo("token:admin");
            assertThat(skipEvent.getJsonObject("data").getString("eventId")).isEqualTo(d.getString("eventId"));
            assertThat(skipEvent.getJsonObject("data").getString("reason")).isEqualTo("市台账不收推送记录");
            assertThat(failedOf(http, caseId)).isNull();
        } finally {
            ledger.stop();
        }
    }

    static JsonObject failedOf(Http http, String caseId) {
        return failed(http, "t").stream().map(o -> (JsonObject) o).filter(o -> o.getString("caseId").equals(caseId))
                .findFirst().orElse(null);
    }

    static String token(Http http, String name, String community) {
        return http.postJson("/api/v1/tokens", "t", new JsonObject().put("name", name).put("role", "community")
                .put("jurisdiction", community)).json().getString("token");
    }

    static JsonArray failed(Http http, String token) {
        return http.get("/api/v1/ledger/deliveries?status=failed", token).json().getJsonArray("deliveries");
    }
}
