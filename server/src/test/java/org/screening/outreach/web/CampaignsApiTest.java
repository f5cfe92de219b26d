package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** The campaign API over real HTTP on the default simulated SMS provider. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CampaignsApiTest {
    static final String ADMIN = "test-admin-token";
    static OutreachServer server;
    static Http http;

    @BeforeAll
    static void start(TestDb db, @TempDir Path dataDir) {
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of(
                "OUTREACH_HTTP_PORT", "0",
                "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN,
                "OUTREACH_DATA_DIR", dataDir.toString(),
                "OUTREACH_QUIET_HOURS", "00:00-00:00")), Clock.systemUTC());
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void aCsvCampaignIsSentOnTheSimulatorAndReportsItsProgress() {
        String csv = "手机号码\n13800138001\n13800138002\n13800138001\n12345\n138 0013 8003\n";
        Reply created = http.post("/api/v1/campaigns?template=campaign.notice&quietHours=none&var.sender=%E7%9C%81&var.text=hi",
                ADMIN, "text/csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonObject c = created.json();
        assertThat(c.getInteger("total")).isEqualTo(5);
        assertThat(c.getInteger("recipients")).isEqualTo(3);
        assertThat(c.getInteger("duplicates")).isEqualTo(1);
        assertThat(c.getJsonArray("invalidRows").getJsonObject(0).getInteger("row")).isEqualTo(4);
        long id = c.getLong("id");
        Await.until("campaign settled and completed", Duration.ofSeconds(30), () -> {
            JsonObject now = http.get("/api/v1/campaigns/" + id, ADMIN).json();
            return now.getDouble("percent") == 100.0 && now.getString("status").equals("COMPLETED");
        });
        JsonObject p = http.get("/api/v1/campaigns/" + id, ADMIN).json();
        assertThat(p.getString("status")).isEqualTo("COMPLETED");
        assertThat(p.getLong("delivered") + p.getLong("failed")).isEqualTo(3);
        assertThat(p.encode()).doesNotContain("13800138001");
        assertThat(http.get("/api/v1/campaigns/" + id + "/invalid", ADMIN).json().getJsonArray("rows")).hasSize(1);
        assertThat(p.getString("asOf")).as("the detail counts live").isNotNull();
        JsonArray listed = http.get("/api/v1/campaigns?limit=5", ADMIN).json().getJsonArray("campaigns");
        JsonObject item = listed.stream().map(o -> (JsonObject) o).filter(o -> o.getLong("id") == id).findFirst().orElseThrow();
        assertThat(item.getString("asOf")).as("the list shows kept counts, with when they were counted").isNotNull();
        assertThat(http.post("/api/v1/campaigns/" + id + "/pause", ADMIN, "application/json", new byte[0]).status())
                .isEqualTo(409);
    }

    @Test
    void previewCountsSegmentsAndBadTemplatesAre400() {
        Reply preview = http.postJson("/api/v1/campaigns/preview", ADMIN, new JsonObject().put("template", "campaign.notice")
                .put("variables", new JsonObject().put("sender", "四川省疫情防控指挥部").put("text", "今".repeat(100))));
        assertThat(preview.status()).isEqualTo(200);
        assertThat(preview.json().getInteger("segments")).isEqualTo(2);
        assertThat(preview.json().getString("encoding")).isEqualTo("UCS2");
        Reply unknown = http.postJson("/api/v1/campaigns", ADMIN, new JsonObject().put("template", "campaign.none")
                .put("recipients", new JsonArray().add("13800138001")));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().getString("error")).isEqualTo("invalid_template");
        Reply missingVar = http.postJson("/api/v1/campaigns", ADMIN, new JsonObject().put("template", "campaign.notice")
                .put("variables", new JsonObject().put("sender", "x")).put("recipients", new JsonArray().add("13800138001")));
        assertThat(missingVar.status()).isEqualTo(400);
        Reply tooLong = http.postJson("/api/v1/campaigns", ADMIN, new JsonObject().put("template", "campaign.notice")
                .put("variables", new JsonObject().put("sender", "x").put("text", "今".repeat(1600)))
                .put("recipients", new JsonArray().add("13800138001")));
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().getString("message")).contains("at most 1600");
    }

    @Test
    void aCampaignThatDoesNotExistIs404OnEveryRoute() {
        long none = 987_654_321L;
        for (Reply r : java.util.List.of(http.get("/api/v1/campaigns/" + none, ADMIN),
                http.get("/api/v1/campaigns/" + none + "/invalid", ADMIN),
                http.post("/api/v1/campaigns/" + none + "/pause", ADMIN, "application/json", new byte[0]),
                http.post("/api/v1/campaigns/" + none + "/resume", ADMIN, "application/json", new byte[0]),
                http.post("/api/v1/campaigns/" + none + "/cancel", ADMIN, "application/json", new byte[0]),
                http.get("/api/v1/campaigns/abc", ADMIN))) {
            assertThat(r.status()).as(r.body()).isEqualTo(404);
            assertThat(r.json().getString("error")).isEqualTo("not_found");
        }
    }

    @Test
    void onlyProvinceTokensRunCampaigns() {
        Reply token = http.postJson("/api/v1/tokens", ADMIN,
                new JsonObject().put("name", "社区A").put("role", "community").put("jurisdiction", "510104001001"));
        String community = token.json().getString("token");
        Reply refused = http.postJson("/api/v1/campaigns", community, new JsonObject().put("template", "campaign.notice")
                .put("variables", new JsonObject().put("sender", "x").put("text", "y"))
                .put("recipients", new JsonArray().add("13800138001")));
        assertThat(refused.status()).isEqualTo(403);
        // A file from the wrong token is read and dropped, then refused (the client is not left hanging).
        Reply file = http.post("/api/v1/campaigns?template=campaign.notice", community, "text/csv",
                "手机号码\n13800138001\n".repeat(20_000).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(file.status()).isEqualTo(403);
    }

    /** Bad input to the campaign routes (issue 8): a 400 with a JSON error, never a 500, nothing stored. */
    @Test
    void badInputIsA400WithAJsonErrorAndNeverA500() {
        String ok = "\"template\":\"campaign.notice\",\"quietHours\":\"none\"";
        String vars = "\"variables\":{\"sender\":\"s\",\"text\":\"t\"}";
        java.util.List<String> bodies = java.util.List.of(
                // a variable the template does not use, larger than the campaign row keeps
                "{" + ok + ",\"variables\":{\"sender\":\"s\",\"text\":\"t\",\"communityCode\":\"" + "9".repeat(70_000)
                        + "\"},\"recipients\":[\"13800138000\"]}",
                // times past what a DATETIME holds
                "{" + ok + "," + vars + ",\"recipients\":[\"13800138000\"],\"startAt\":\"+999999999-12-31T23:59:59+18:00\"}",
                "{" + ok + "," + vars + ",\"recipients\":[\"13800138000\"],\"startAt\":\"20222-04-02T09:00:00+08:00\"}");
        for (String body : bodies) {
            Reply r = http.post("/api/v1/campaigns", ADMIN, "application/json", body.getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().getString("message")).isNotBlank();
        }
        // Numbers no decimal holds (Jackson reads 1e309 as infinity) are text like any other.
        Reply infinite = http.post("/api/v1/campaigns", ADMIN, "application/json",
                ("{" + ok + "," + vars + ",\"recipients\":[1e309]}").getBytes(StandardCharsets.UTF_8));
        assertThat(infinite.status()).as(infinite.body()).isEqualTo(201);
        assertThat(infinite.json().getInteger("invalid")).isEqualTo(1); // reported, not sent
        Reply infiniteText = http.post("/api/v1/campaigns/preview", ADMIN, "application/json",
                ("{" + ok + ",\"variables\":{\"sender\":\"s\",\"text\":1e309}}").getBytes(StandardCharsets.UTF_8));
        assertThat(infiniteText.status()).as(infiniteText.body()).isEqualTo(200);
        Reply preview = http.post("/api/v1/campaigns/preview", ADMIN, "application/json",
                "{\"template\":\"campaign.notice\",\"variables\":{\"sender\":1e309,\"text\":\"t\"}}".getBytes(StandardCharsets.UTF_8));
        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        Reply file = http.post("/api/v1/campaigns?template=campaign.notice&var.sender=s&var.text=t"
                + "&startAt=%2B999999999-12-31T23:59:59%2B18:00", ADMIN, "text/csv", "13800138000\n".getBytes(StandardCharsets.UTF_8));
        assertThat(file.status()).as(file.body()).isEqualTo(400);
        assertThat(file.json().getString("error")).isEqualTo("invalid_request");
    }

    @Test
    void aStartTimeWithoutOffsetIsLocalTimeAndOneAlreadyPastMeansNow() {
        Reply local = http.postJson("/api/v1/campaigns", ADMIN, new JsonObject().put("template", "campaign.notice")
                .put("variables", new JsonObject().put("sender", "s").put("text", "t")).put("startAt", "2099-04-02T09:00:00")
                .put("recipients", new JsonArray().add("13800138011")));
        assertThat(local.status()).as(local.body()).isEqualTo(400); // more than a year ahead
        String tomorrow = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusDays(1) + "T09:00:00";
        Reply created = http.postJson("/api/v1/campaigns", ADMIN, new JsonObject().put("template", "campaign.notice")
                .put("variables", new JsonObject().put("sender", "s").put("text", "t")).put("startAt", tomorrow)
                .put("recipients", new JsonArray().add("13800138012")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().getLong("id");
        assertThat(java.time.OffsetDateTime.parse(http.get("/api/v1/campaigns/" + id, ADMIN).json().getString("startAt")))
                .isEqualTo(java.time.OffsetDateTime.parse(tomorrow + "+08:00"));
        assertThat(http.post("/api/v1/campaigns/" + id + "/cancel", ADMIN, "application/json", new byte[0]).status())
                .isEqualTo(200);
        Reply past = http.postJson("/api/v1/campaigns", ADMIN, new JsonObject().put("template", "campaign.notice")
                .put("variables", new JsonObject().put("sender", "s").put("text", "t"))
                .put("startAt", "0001-01-01T00:00:00+08:00").put("recipients", new JsonArray().add("13800138013")));
        assertThat(past.status()).as(past.body()).isEqualTo(201);
        String startAt = http.get("/api/v1/campaigns/" + past.json().getLong("id"), ADMIN).json().getString("startAt");
        assertThat(java.time.OffsetDateTime.parse(startAt).getYear()).isGreaterThanOrEqualTo(2024);
    }
}
