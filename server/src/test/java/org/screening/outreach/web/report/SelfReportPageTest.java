package org.screening.outreach.web.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
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
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.support.TestIdKeys;

/** The self-report page behind the SMS link, over real HTTP with a real database. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class SelfReportPageTest {
    static final byte[] KEY = TestIdKeys.reportKey();
    static final java.time.format.DateTimeFormatter RECEIVED = java.time.format.DateTimeFormatter.ofPattern("M月d日 HH:mm")
            .withZone(ZoneId.of("Asia/Shanghai"));
    static final MutableClock clock = new MutableClock(
            ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
    static OutreachServer server;
    static Http http;
    static ReportLinks links;

    static TestDb testDb;

    @BeforeAll
    static void start(TestDb db, @TempDir Path dir) {
        testDb = db;
        server = OutreachServer.start(ConfigLoader.fromMap(settings(db, dir)), clock);
        http = new Http(server.port());
        links = new ReportLinks("https://outreach.example.cn", KEY, clock, Duration.ofHours(72));
    }

    /** A node of the deployment: the database, the report link key and the ID number keys are shared. */
    static Map<String, String> settings(TestDb db, Path dir) {
        Map<String, String> s = new java.util.HashMap<>(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(), "OUTREACH_DISPATCH", "off",
                "OUTREACH_PUBLIC_URL", "https://outreach.example.cn"));
        s.putAll(TestIdKeys.settings());
        return s;
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static String push(String externalId, String phone) {
        return http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "sr").put("cases", new JsonArray()
                .add(new JsonObject().put("externalId", externalId).put("name", "张三丰").put("phone", phone)
                        .put("category", "黄码").put("jurisdiction", "510104001001")))).json()
                .getJsonArray("cases").getJsonObject(0).getString("id");
    }

    static String path(String caseId) {
        String link = links.link(caseId);
        return link.substring(link.indexOf("/r/"));
    }

    static Http.Reply submit(String path, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return http.post(path, null, "application/x-www-form-urlencoded", body.getBytes(StandardCharsets.UTF_8));
    }

    static JsonObject caseOf(String id) {
        return http.get("/api/v1/cases/" + id, "t").json();
    }

    @Test
    void theFormShowsTheMaskedNameAndAGoodReportVerifiesTheCase() {
        String id = push("SR1", "13800001101");
        Http.Reply page = http.get(path(id), null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("风险人员信息报告", "张**", "健康码").doesNotContain("张三丰");
        assertThat(page.body()).as("the date picker offers no day after today")
                .contains("max=\"" + clock.instant().atZone(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate() + "\"");

        Map<String, String> form = new LinkedHashMap<>();
        form.put("identity", "yes");
        form.put("in_city", "yes");
        form.put("address", "玉林北路2号3栋");
        form.put("district", "武侯区");
        form.put("travel_7d", "no");
        form.put("health_code", "green");
        Http.Reply sent = submit(path(id), form);
        assertThat(sent.status()).as("post/redirect/get: a reload sends nothing again").isEqualTo(303);
        assertThat(sent.location()).isEqualTo(path(id) + "/done");
        Http.Reply done = http.get(sent.location(), null);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.body()).contains("提交成功", "您的报告已于" + RECEIVED.format(clock.instant()) + "收到");
        assertThat(http.get(path(id), null).body()).as("the link opened again says the report arrived")
                .contains("您已于" + RECEIVED.format(clock.instant()) + "提交过报告");
        JsonObject c = caseOf(id);
        assertThat(c.getString("status")).isEqualTo("VERIFIED");
        List<String> types = c.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList();
        assertThat(types).containsSubsequence("RECEIVED", "SELF_REPORT", "STATUS_CHANGED", "STATUS_CHANGED");
        JsonObject report = c.getJsonArray("events").stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("type").equals("SELF_REPORT")).findFirst().orElseThrow();
        assertThat(report.getJsonObject("data").getString("district")).isEqualTo("武侯区");
    }

    @Test
    void thePageCannotBeFramedAndSendsNoReferrerWithItsToken() throws Exception {
        String id = push("SR9", "13800001109");
        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + server.port() + path(id)))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                assertThat(csp).contains("frame-ancestors 'none'").contains("default-src 'none'"));
    }

    @Test
    void missingAnswersComeBackWithMessagesAndTypedTextIsEscaped() {
        String id = push("SR2", "13800001102");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("identity", "yes");
        form.put("in_city", "yes");
        form.put("address", "<script>alert(1)</script>");
        form.put("travel_7d", "yes");
        form.put("arrival_date", "2099-01-01");
        Http.Reply r = submit(path(id), form);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("请填写所在区（县）", "抵达日期不能晚于今天", "请选择健康码颜色")
                .contains("&lt;script&gt;").doesNotContain("<script>alert(1)</script>");
        assertThat(caseOf(id).getString("status")).as("nothing recorded").isEqualTo("NEW");
    }

    @Test
    void travelIsRecordedAndFlaggedNotVerified() {
        String id = push("SR3", "13800001103");
        Map<String, String> form = travelled("x路1号");
        assertThat(submit(path(id), form).status()).isEqualTo(303);
        JsonObject c = caseOf(id);
        assertThat(c.getString("status")).isEqualTo("REACHED");
        assertThat(c.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList()).contains("FLAGGED");
    }

    /** A complete report of someone in the city who travelled in the last 7 days. */
    private static Map<String, String> travelled(String address) {
        return Map.of("identity", "yes", "in_city", "yes", "address", address, "district", "锦江区",
                "travel_7d", "yes", "arrival_date", "2022-03-30", "health_code", "green");
    }

    /** A double tap on a slow phone, or the browser re-sending the form: the same answers are one report. */
    @Test
    void theSameAnswersSentTwiceAreRecordedOnce() {
        String id = push("SR7", "13800001107");
        Map<String, String> form = travelled("y路2号");
        assertThat(submit(path(id), form).status()).isEqualTo(303);
        Http.Reply again = submit(path(id), form);
        assertThat(again.status()).isEqualTo(303);
        assertThat(http.get(again.location(), null).body()).contains("提交成功");
        List<String> types = caseOf(id).getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList();
        assertThat(types.stream().filter("SELF_REPORT"::equals)).as("one report").hasSize(1);
        assertThat(types.stream().filter("FLAGGED"::equals)).as("flagged once").hasSize(1);

        Map<String, String> changed = new java.util.HashMap<>(form);
        changed.put("health_code", "yellow");
        assertThat(submit(path(id), changed).status()).isEqualTo(303);
        assertThat(caseOf(id).getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type"))
                .filter("SELF_REPORT"::equals)).as("changed answers are a new report").hasSize(2);
    }

    /** The page a submission lands on, opened before anything was sent (a shared or guessed URL): the form. */
    @Test
    void theDonePageWithoutAReportIsTheForm() {
        String id = push("SR10", "13800001110");
        Http.Reply r = http.get(path(id) + "/done", null);
        assertThat(r.status()).isEqualTo(303);
        assertThat(r.location()).isEqualTo(path(id));
        assertThat(http.get(path(id), null).body()).doesNotContain("提交过报告");
        String good = path(id);
        Http.Reply tampered = http.get(good.substring(0, good.length() - 2) + "xx/done", null);
        assertThat(tampered.status()).isEqualTo(404);
        assertThat(tampered.body()).contains("链接无效");
    }

    @Test
    void badAndExpiredLinksGetAFriendlyPage() {
        String id = push("SR4", "13800001104");
        String good = path(id);
        Http.Reply tampered = http.get(good.substring(0, good.length() - 2) + "xx", null);
        assertThat(tampered.status()).isEqualTo(404);
        assertThat(tampered.body()).contains("链接无效").doesNotContain("Exception");
        clock.advance(Duration.ofHours(73));
        try {
            Http.Reply expired = http.get(good, null);
            assertThat(expired.status()).isEqualTo(410);
            assertThat(expired.body()).contains("链接已过期");
        } finally {
            clock.advance(Duration.ofHours(-73));
        }
    }

    /** A link cut short in the SMS, or a form too large to read: the person gets a page in Chinese, not JSON. */
    @Test
    void aCutShortLinkOrAnOversizedFormGetsAChinesePage() {
        for (String cut : List.of("/r/", "/r/abc/def")) {
            Http.Reply r = http.get(cut, null);
            assertThat(r.status()).as(cut).isEqualTo(404);
            assertThat(r.body()).as(cut).contains("<title>链接无效</title>", "请核对短信中的完整链接").doesNotContain("not_found");
        }
        // A broken percent escape (a link mangled by a phone or a forwarding app) is a bad link too, GET or POST.
        for (String mangled : List.of("GET /r/abc%ZZ", "GET /r/%E4%B8", "GET /r/abc%", "POST /r/abc%ZZ")) {
            String reply = http.raw(mangled);
            assertThat(reply).as(mangled).startsWith("HTTP/1.1 404").contains("<title>链接无效</title>", "请核对短信中的完整链接")
                    .doesNotContain("Bad Request");
        }
        assertThat(http.raw("GET /api/v1/cases/abc%ZZ")).as("elsewhere the usual JSON error")
                .startsWith("HTTP/1.1 400").contains("\"error\":\"invalid_request\"");
        String id = push("SR8", "13800001108");
        Http.Reply big = http.post(path(id), null, "application/x-www-form-urlencoded",
                ("identity=yes&address=" + "a".repeat(20_000)).getBytes(StandardCharsets.UTF_8));
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.body()).contains("<title>填写内容过长</title>").doesNotContain("payload_too_large");
        assertThat(caseOf(id).getString("status")).isEqualTo("NEW");
    }

    @Test
    void oneLinkCannotBeHammered() {
        String id = push("SR5", "13800001105");
        int last = 0;
        for (int i = 0; i < 11; i++) last = submit(path(id), Map.of("identity", "")).status();
        assertThat(last).isEqualTo(429);
    }

    /** Behind a load balancer the submissions of one link spread over the nodes: the limit is the deployment's. */
    @Test
    void twoNodesCountTheSameSubmissions(@TempDir Path second) {
        String id = push("SR6", "13800001106");
        OutreachServer other = OutreachServer.start(ConfigLoader.fromMap(settings(testDb, second)), clock);
        try {
            Http otherHttp = new Http(other.port());
            List<Integer> statuses = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Http node = i % 2 == 0 ? http : otherHttp;
                statuses.add(node.post(path(id), null, "application/x-www-form-urlencoded",
                        "identity=".getBytes(StandardCharsets.UTF_8)).status());
            }
            assertThat(statuses.subList(0, 10)).as("ten tries, five on each node").containsOnly(400);
            assertThat(statuses.subList(10, 12)).as("the eleventh and twelfth, one on each node").containsOnly(429);
            clock.advance(Duration.ofMinutes(11));
            assertThat(submit(path(id), Map.of("identity", "")).status()).as("the window has passed").isEqualTo(400);
        } finally {
            other.stop();
        }
    }
}
