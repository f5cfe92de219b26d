package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.support.IdNumbers;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** The intake and read API over real HTTP against a real MariaDB. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CasesApiTest {
    static final String ADMIN = "test-admin-token";
    static final String HEADER = "外部编号,姓名,手机号码,证件号码,风险类别,所属社区,推送时间\n";
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static OutreachServer server;
    static Http http;

    @BeforeAll
    static void start(TestDb db, @TempDir Path dataDir) {
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of(
                "OUTREACH_HTTP_PORT", "0",
                "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN,
                "OUTREACH_DATA_DIR", dataDir.toString(),
                "OUTREACH_MAX_IMPORT_MB", "1",
                "OUTREACH_MAX_JSON_MB", "1",
                "OUTREACH_DISPATCH", "off")), Clock.systemUTC());
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static Reply importCsv(String token, String source, String csv, Charset cs) {
        return http.post("/api/v1/cases/import?source=" + source, token, "text/csv", csv.getBytes(cs));
    }

    static String communityToken(String name, String prefix) {
        Reply r = http.postJson("/api/v1/tokens", ADMIN,
                new JsonObject().put("name", name).put("role", "community").put("jurisdiction", prefix));
        assertThat(r.status()).isEqualTo(201);
        return r.json().getString("token");
    }

    @Test
    void healthIsUpAndMetricsCountIntake() {
        Reply health = http.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().getString("status")).isEqualTo("UP");
        importCsv(ADMIN, "metrics", HEADER + "MX1,张三,13800000900,,红码,510104001001,\nMX2,李四,1,,红码,510104001001,\n",
                StandardCharsets.UTF_8);
        String metrics = http.get("/metrics", null).body();
        assertThat(metrics).contains("intake_rows_total{result=\"accepted\"}").contains("cases{status=\"NEW\"}")
                .contains("http_server_requests_seconds_count");
    }

    @Test
    void missingOrWrongTokenIs401WithJson() {
        Reply none = http.get("/api/v1/cases", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.json().getString("error")).isEqualTo("unauthorized");
        assertThat(http.get("/api/v1/cases", "nope").status()).isEqualTo(401);
    }

    @Test
    void gbkCsvImportIsIdempotent() {
        String id = IdNumbers.valid("51010419900101123");
        String csv = HEADER + "G1,张三,138 0000 1001," + id + ",红码,510104002001,2022-04-01 08:30\n"
                + "G2,\"王, 五\",+86 138-0000-1002,,黄码,510104002001,\n"
                + "G3,李四,12,,红码,510104002001,\n";
        Reply first = importCsv(ADMIN, "gbk", csv, Charset.forName("GBK"));
        assertThat(first.status()).isEqualTo(200);
        JsonObject a = first.json();
        assertThat(a.getInteger("accepted")).isEqualTo(2);
        assertThat(a.getJsonArray("rejected")).hasSize(1);
        assertThat(a.getJsonArray("rejected").getJsonObject(0).getMap())
                .containsEntry("row", 3).containsEntry("field", "phone");
        Reply second = importCsv(ADMIN, "gbk", csv, Charset.forName("GBK"));
        JsonObject b = second.json();
        assertThat(b.getInteger("accepted")).isZero();
        assertThat(b.getInteger("duplicates")).isEqualTo(2);
        assertThat(ids(b.getJsonArray("cases"))).isEqualTo(ids(a.getJsonArray("cases")));
        JsonArray listed = http.get("/api/v1/cases?jurisdiction=510104002", ADMIN).json().getJsonArray("cases");
        assertThat(listed).hasSize(2);
        JsonObject g1 = listed.getJsonObject(0);
        assertThat(g1.getString("name")).isEqualTo("张三");
        assertThat(g1.getString("phone")).isEqualTo("138****1001");
        assertThat(g1.getString("idNumber")).isEqualTo("510104*********" .substring(0, 6) + "********" + id.substring(14));
        assertThat(g1.getString("deadlineAt")).endsWith("+08:00");
    }

    @Test
    void xlsxImportAndATruncatedXlsxImportsNothing() throws Exception {
        byte[] xlsx = workbook(new Object[][] {
                {"外部编号", "姓名", "手机号码", "风险类别", "所属社区"},
                {"X1", "赵六", 13800002001d, "时空伴随", 510104003001d},
                {"X2", "<b>钱七</b>", "13800002002", "来返人员", "510104003001"}});
        byte[] cut = Arrays.copyOf(xlsx, xlsx.length - 200);
        Reply broken = http.post("/api/v1/cases/import?source=xlsx", ADMIN, XLSX, cut);
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().getString("error")).isEqualTo("invalid_file");
        assertThat(broken.json().getString("message")).contains("XLSX");
        assertThat(http.get("/api/v1/cases?jurisdiction=510104003", ADMIN).json().getJsonArray("cases")).isEmpty();

        Reply ok = http.post("/api/v1/cases/import?source=xlsx", ADMIN, XLSX, xlsx);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().getInteger("accepted")).isEqualTo(2);
        JsonArray listed = http.get("/api/v1/cases?jurisdiction=510104003", ADMIN).json().getJsonArray("cases");
        assertThat(listed).extracting(o -> ((JsonObject) o).getString("name")).containsExactly("赵六", "<b>钱七</b>");
    }

    @Test
    void fileErrorsAreClear() {
        Reply empty = importCsv(ADMIN, "e", "", StandardCharsets.UTF_8);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.json().getString("message")).contains("empty");
        Reply headerOnly = importCsv(ADMIN, "e", HEADER, StandardCharsets.UTF_8);
        assertThat(headerOnly.status()).isEqualTo(200);
        assertThat(headerOnly.json().getInteger("accepted")).isZero();
        Reply unknown = importCsv(ADMIN, "e", "编号,姓名,电话号,类别\nA,B,C,D\n", StandardCharsets.UTF_8);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().getString("message")).contains("手机号码/phone").contains("所属社区/jurisdiction");
        Reply badQuote = importCsv(ADMIN, "q", HEADER + "Q1,张三,13800006001,,红码,510104007001,\n"
                + "Q2,\"李四,13800006002,,红码,510104007001,\n", StandardCharsets.UTF_8);
        assertThat(badQuote.status()).isEqualTo(400);
        assertThat(http.get("/api/v1/cases?jurisdiction=510104007", ADMIN).json().getJsonArray("cases"))
                .as("a file with damage is refused whole, even its good first row").isEmpty();
        Reply multipart = http.post("/api/v1/cases/import", ADMIN, "multipart/form-data; boundary=x", new byte[10]);
        assertThat(multipart.status()).isEqualTo(415);
    }

    @Test
    void oversizedBodiesAre413WithJson() {
        byte[] big = new byte[1024 * 1024 + 10];
        Arrays.fill(big, (byte) 'a');
        Reply file = http.post("/api/v1/cases/import", ADMIN, "text/csv", big);
        assertThat(file.status()).isEqualTo(413);
        assertThat(file.json().getString("error")).isEqualTo("payload_too_large");
        Reply json = http.post("/api/v1/cases", ADMIN, "application/json", big);
        assertThat(json.status()).isEqualTo(413);
        assertThat(json.json().getString("error")).isEqualTo("payload_too_large");
    }

    @Test
    void jsonPushAcceptsGoodCasesAndExplainsBadOnes() {
        JsonObject body = new JsonObject().put("source", "cdc-push").put("cases", new JsonArray()
                .add(new JsonObject().put("externalId", "J1").put("name", "张三").put("phone", 13800003001L)
                        .put("category", "RED").put("jurisdiction", "510104004001")
                        .put("pushedAt", "2022-04-01T08:30:00+08:00"))
                .add(new JsonObject().put("externalId", "J2").put("phone", "13800003002").put("category", "蓝码")
                        .put("jurisdiction", "510104004001"))
                .add("not an object"));
        Reply r = http.postJson("/api/v1/cases", ADMIN, body);
        assertThat(r.status()).isEqualTo(200);
        JsonObject a = r.json();
        assertThat(a.getInteger("accepted")).isEqualTo(1);
        assertThat(a.getJsonArray("rejected")).extracting(o -> ((JsonObject) o).getString("field"))
                .containsExactlyInAnyOrder("category", "case");
        String id = a.getJsonArray("cases").getJsonObject(0).getString("id");

        JsonObject c = http.get("/api/v1/cases/" + id, ADMIN).json();
        assertThat(c.getString("status")).isEqualTo("NEW");
        assertThat(c.getString("category")).isEqualTo("RED");
        assertThat(c.getString("pushedAt")).isEqualTo("2022-04-01T08:30:00+08:00");
        assertThat(c.getJsonArray("events").getJsonObject(0).getString("type")).isEqualTo("RECEIVED");
        assertThat(c.getJsonArray("events").getJsonObject(0).getString("at")).endsWith("+08:00");

        assertThat(http.post("/api/v1/cases", ADMIN, "application/json", "{nope".getBytes()).status()).isEqualTo(400);
        Reply noSource = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("cases", new JsonArray()));
        assertThat(noSource.status()).isEqualTo(400);
        assertThat(noSource.json().getString("message")).contains("source");
    }

    @Test
    void anUnreadablePushTimeCostsNoPersonItIsAWarningAndTheDeadlineCountsFromReceipt() {
        Reply r = importCsv(ADMIN, "push-time", HEADER
                + "P1,张三,13800011001,,红码,510104011001,2022年4月1日 08:30\n"
                + "P2,李四,13800011002,,红码,510104011001,四月一日上午\n", StandardCharsets.UTF_8);
        assertThat(r.status()).isEqualTo(200);
        JsonObject a = r.json();
        assertThat(a.getInteger("accepted")).isEqualTo(2);
        assertThat(a.getJsonArray("rejected")).isEmpty();
        assertThat(a.getJsonArray("warnings")).singleElement().satisfies(w -> {
            assertThat(((JsonObject) w).getMap()).containsEntry("row", 2).containsEntry("field", "pushedAt");
            assertThat(((JsonObject) w).getString("message")).contains("receipt");
        });
        JsonObject read = http.get("/api/v1/cases/" + a.getJsonArray("cases").getJsonObject(0).getString("id"), ADMIN).json();
        assertThat(read.getString("pushedAt")).isEqualTo("2022-04-01T08:30:00+08:00");
        JsonObject unread = http.get("/api/v1/cases/" + a.getJsonArray("cases").getJsonObject(1).getString("id"), ADMIN).json();
        assertThat(unread.getValue("pushedAt")).isNull();
        assertThat(java.time.OffsetDateTime.parse(unread.getString("deadlineAt")))
                .isEqualTo(java.time.OffsetDateTime.parse(unread.getString("receivedAt")).plusHours(2));

        Reply push = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "push-time").put("cases",
                new JsonArray().add(new JsonObject().put("externalId", "P3").put("phone", "13800011003")
                        .put("category", "RED").put("jurisdiction", "510104011001").put("pushedAt", "昨天"))));
        assertThat(push.json().getInteger("accepted")).isEqualTo(1);
        assertThat(push.json().getJsonArray("warnings")).extracting(w -> ((JsonObject) w).getString("field"))
                .containsExactly("pushedAt");
    }

    @Test
    void aPushThatIsNoJsonObjectSaysWhereItBrokeWithoutParserInternals() {
        Reply array = http.post("/api/v1/cases", ADMIN, "application/json", "[{\"source\":\"x\"}]".getBytes(StandardCharsets.UTF_8));
        assertThat(array.status()).isEqualTo(400);
        assertThat(array.json().getString("error")).isEqualTo("invalid_json");
        assertThat(array.json().getString("message")).isEqualTo(
                "the body must be a JSON object with 'source' and 'cases', not an array or a single value");
        Reply cut = http.post("/api/v1/cases", ADMIN, "application/json",
                "{\"source\": \"x\",\n \"cases\": [{\"name\": \"张".getBytes(StandardCharsets.UTF_8));
        assertThat(cut.status()).isEqualTo(400);
        assertThat(cut.json().getString("message")).startsWith("the body must be a JSON object with 'source' and 'cases'; "
                + "it is not valid JSON at line 2, column ");
        for (Reply r : List.of(array, cut)) {
            assertThat(r.body()).doesNotContain("io.vertx").doesNotContain("Jackson").doesNotContain("StreamReadFeature")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void twoCommunitiesNumberingTheirListsFromOneImportWithoutASourceAndBothAreKept() {
        String header = "编号,姓名,手机号码,风险类别,所属社区\n";
        String a = communityToken("numbers-a", "510104008101");
        String b = communityToken("numbers-b", "510104008102");
        Reply first = http.post("/api/v1/cases/import", a, "text/csv",
                (header + "1,赵一,13700002101,红码,510104008101\n").getBytes(StandardCharsets.UTF_8));
        Reply second = http.post("/api/v1/cases/import", b, "text/csv",
                (header + "1,孙三,13600002103,红码,510104008102\n").getBytes(StandardCharsets.UTF_8));
        assertThat(first.json().getInteger("accepted")).as(first.body()).isEqualTo(1);
        assertThat(second.json().getInteger("accepted")).as("B's row 1 is not A's row 1: " + second.body()).isEqualTo(1);
        String theirs = first.json().getJsonArray("cases").getJsonObject(0).getString("id");
        assertThat(second.body()).doesNotContain(theirs);
        JsonObject mine = http.get("/api/v1/cases/" + second.json().getJsonArray("cases").getJsonObject(0).getString("id"), b)
                .json();
        assertThat(mine.getString("source")).isEqualTo("import:510104008102");
        assertThat(mine.getString("name")).isEqualTo("孙三");
    }

    @Test
    void revealingThePhoneIsWrittenToTheLedger() {
        String id = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "rv").put("cases",
                new JsonArray().add(new JsonObject().put("externalId", "V1").put("phone", "13800004001")
                        .put("category", "黄码").put("jurisdiction", "510104005001")))).json()
                .getJsonArray("cases").getJsonObject(0).getString("id");
        JsonObject c = http.get("/api/v1/cases/" + id + "?reveal=phone", ADMIN).json();
        assertThat(c.getString("phone")).isEqualTo("+8613800004001");
        assertThat(c.getJsonArray("events")).extracting(o -> ((JsonObject) o).getString("type")).contains("REVEALED");
    }

    @Test
    void aCommunityTokenSeesAndChangesOnlyItsCommunity() {
        String mine = communityToken("community-a", "510104006001");
        importCsv(ADMIN, "scope", HEADER + "SC1,甲,13800005001,,红码,510104006001,\nSC2,乙,13800005002,,红码,510104006002,\n",
                StandardCharsets.UTF_8);
        JsonArray visible = http.get("/api/v1/cases", mine).json().getJsonArray("cases");
        assertThat(visible).extracting(o -> ((JsonObject) o).getString("jurisdiction")).containsOnly("510104006001");
        assertThat(visible).hasSize(1);
        assertThat(http.get("/api/v1/cases?jurisdiction=510104006002", mine).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/door-knocks?jurisdiction=510104006002", mine).json().getString("error"))
                .isEqualTo("forbidden");
        // A filter wider than the token (its whole county) lists the token's own community and says so, on both lists.
        for (String list : List.of("cases", "door-knocks")) {
            Reply wider = http.get("/api/v1/" + list + "?jurisdiction=510104", mine);
            assertThat(wider.status()).as(list).isEqualTo(200);
            assertThat(wider.json().getString("jurisdiction")).as(list).isEqualTo("510104006001");
            assertThat(wider.json().getString("note")).as(list).contains("510104").contains("510104006001");
        }
        assertThat(http.get("/api/v1/cases?jurisdiction=510104", mine).json().getJsonArray("cases")).isEqualTo(visible);
        Reply own = http.get("/api/v1/door-knocks", mine);
        assertThat(own.json().getString("jurisdiction")).isEqualTo("510104006001");
        assertThat(own.json().containsKey("note")).isFalse();

        String otherId = http.get("/api/v1/cases?jurisdiction=510104006002", ADMIN).json().getJsonArray("cases")
                .getJsonObject(0).getString("id");
        Reply foreign = http.get("/api/v1/cases/" + otherId, mine);
        assertThat(foreign.status()).isEqualTo(403);
        assertThat(foreign.json().getString("error")).isEqualTo("forbidden");

        Reply push = importCsv(mine, "scope-a", HEADER + "SC3,丙,13800005003,,红码,510104006002,\n", StandardCharsets.UTF_8);
        assertThat(push.json().getInteger("accepted")).isZero();
        assertThat(push.json().getJsonArray("rejected").getJsonObject(0).getString("field")).isEqualTo("jurisdiction");

        Reply notAdmin = http.postJson("/api/v1/tokens", mine,
                new JsonObject().put("name", "x").put("role", "staff").put("jurisdiction", "510104006001"));
        assertThat(notAdmin.status()).isEqualTo(403);
    }

    @Test
    void tokenRequestsAreValidated() {
        Reply badRole = http.postJson("/api/v1/tokens", ADMIN,
                new JsonObject().put("name", "x").put("role", "emperor").put("jurisdiction", "51"));
        assertThat(badRole.status()).isEqualTo(400);
        Reply badPrefix = http.postJson("/api/v1/tokens", ADMIN,
                new JsonObject().put("name", "x").put("role", "city").put("jurisdiction", "51ab"));
        assertThat(badPrefix.status()).isEqualTo(400);
    }

    @Test
    void anotherSystemReportsAControlMeasureThenVerifiesAndCloses() {
        String id = pushForResults("RS1", "13800007701");
        String other = communityToken("results-other", "510104009002");
        JsonObject isolation = new JsonObject().put("result", "home_isolation").put("system", "武侯区社区系统")
                .put("note", "居家隔离至4月8日");
        assertThat(http.postJson("/api/v1/cases/" + id + "/results", other, isolation).status()).isEqualTo(403);
        assertThat(http.postJson("/api/v1/cases/" + id + "/results", ADMIN, new JsonObject().put("result", "vacation")
                .put("system", "x")).status()).isEqualTo(400);
        Reply measured = http.postJson("/api/v1/cases/" + id + "/results", ADMIN, isolation);
        assertThat(measured.status()).isEqualTo(200);
        assertThat(measured.json().getString("status")).isEqualTo("UNDER_CONTROL");
        assertThat(http.postJson("/api/v1/cases/" + id + "/results", ADMIN, new JsonObject().put("result", "verified")
                .put("system", "武侯区社区系统").put("close", true)).status()).as("closing needs a reason").isEqualTo(400);
        Reply stringClose = http.postJson("/api/v1/cases/" + id + "/results", ADMIN, new JsonObject().put("result", "verified")
                .put("system", "武侯区社区系统").put("close", "true").put("reason", "隔离期满，核实销号"));
        assertThat(stringClose.status()).as("a close it would not do is refused, not half done").isEqualTo(400);
        assertThat(stringClose.json().getString("message")).contains("close must be true or false");
        assertThat(http.get("/api/v1/cases/" + id, ADMIN).json().getString("status")).isEqualTo("UNDER_CONTROL");
        Reply closed = http.postJson("/api/v1/cases/" + id + "/results", ADMIN, new JsonObject().put("result", "verified")
                .put("system", "武侯区社区系统").put("close", true).put("reason", "隔离期满，核实销号"));
        assertThat(closed.json().getString("status")).isEqualTo("CLOSED");
        JsonObject c = http.get("/api/v1/cases/" + id, ADMIN).json();
        List<String> trail = c.getJsonArray("events").stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("type").equals("STATUS_CHANGED")).map(e -> e.getJsonObject("data").getString("to")).toList();
        assertThat(trail).containsExactly("UNDER_CONTROL", "VERIFIED", "CLOSED");
        assertThat(c.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList())
                .containsSubsequence("RECEIVED", "RESULT_REPORTED", "STATUS_CHANGED", "RESULT_REPORTED");
        // Reported on the closed case (again, or a new measure): recorded, the case stays closed.
        Reply again = http.postJson("/api/v1/cases/" + id + "/results", ADMIN, isolation);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("status")).isEqualTo("CLOSED");
        assertThat(http.get("/api/v1/cases/" + id, ADMIN).json().getJsonArray("events").stream()
                .filter(e -> ((JsonObject) e).getString("type").equals("STATUS_CHANGED"))).hasSize(3);
    }

    @Test
    void aVerificationReportedByAnotherSystemVerifiesACaseNotYetReachedHere() {
        String id = pushForResults("RS2", "13800007702");
        Reply verified = http.postJson("/api/v1/cases/" + id + "/results", ADMIN, new JsonObject()
                .put("result", "verified").put("system", "武侯区社区系统").put("note", "社区电话核实"));
        assertThat(verified.status()).isEqualTo(200);
        assertThat(verified.json().getString("status")).isEqualTo("VERIFIED");
        JsonObject c = http.get("/api/v1/cases/" + id, ADMIN).json();
        assertThat(c.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList())
                .contains("RESULT_REPORTED");
        List<String> trail = c.getJsonArray("events").stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("type").equals("STATUS_CHANGED")).map(e -> e.getJsonObject("data").getString("to")).toList();
        assertThat(trail).containsExactly("REACHED", "VERIFIED");
    }

    /** A YELLOW case of community 510104009001, as another system will report on it. */
    static String pushForResults(String externalId, String phone) {
        return http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "results").put("cases",
                new JsonArray().add(new JsonObject().put("externalId", externalId).put("phone", phone)
                        .put("category", "黄码").put("jurisdiction", "510104009001")))).json()
                .getJsonArray("cases").getJsonObject(0).getString("id");
    }

    /** A county with more open door knocks than one answer lists is told the list is cut, not handed part of it. */
    @Test
    void aDoorKnockListLongerThanOneAnswerSaysItIsCut(TestDb db) throws Exception {
        try (java.sql.Connection c = db.database().connection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO door_knock_tasks (case_id, jurisdiction, created_at, due_at, status, reason) "
                        + "VALUES (?, ?, '2022-04-01 00:00:00', '2022-04-01 02:00:00', 'OPEN', 'not_reached')")) {
            for (int i = 0; i < 501; i++) {
                ps.setString(1, String.format("01FZZZZZZZZZZZZZZZZZZZ%04d", i));
                ps.setString(2, i == 0 ? "510104088002" : "510104088001");
                ps.addBatch();
            }
            ps.executeBatch();
        }
        JsonObject county = http.get("/api/v1/door-knocks?jurisdiction=510104088", ADMIN).json();
        assertThat(county.getJsonArray("tasks")).hasSize(500);
        assertThat(county.getBoolean("truncated")).isTrue();
        assertThat(county.getString("message")).contains("500");
        JsonObject community = http.get("/api/v1/door-knocks?jurisdiction=510104088002", ADMIN).json();
        assertThat(community.getJsonArray("tasks")).hasSize(1);
        assertThat(community.containsKey("truncated")).isFalse();
    }

    @Test
    void twilioWebhooksAreMountedAndRefuseUnsignedRequests() {
        for (String path : List.of("/webhooks/twilio/sms/status?attemptId=1", "/webhooks/twilio/sms/inbound")) {
            Reply r = http.post(path, null, "application/x-www-form-urlencoded",
                    "MessageStatus=delivered&From=%2B8613800138000&Body=STOP".getBytes(StandardCharsets.UTF_8));
            assertThat(r.status()).as(path).isEqualTo(403);
            assertThat(r.json().getString("error")).isEqualTo("forbidden");
        }
    }

    @Test
    void unknownThingsAre404WithJson() {
        Reply r = http.get("/api/v1/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV", ADMIN);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().getString("error")).isEqualTo("not_found");
        assertThat(http.get("/no/such/page", null).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/cases?status=SLEEPING", ADMIN).status()).isEqualTo(400);
        Reply noSuchCursor = http.get("/api/v1/cases?after=" + org.screening.outreach.domain.CaseId.next(
                java.time.Instant.now()), ADMIN);
        assertThat(noSuchCursor.status()).isEqualTo(400);
        assertThat(noSuchCursor.json().getString("message")).contains("after");
    }

    private static java.util.List<String> ids(JsonArray cases) {
        return cases.stream().map(o -> ((JsonObject) o).getString("id")).toList();
    }

    static byte[] workbook(Object[][] rows) throws Exception {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            var sheet = wb.createSheet();
            for (int r = 0; r < rows.length; r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    if (rows[r][c] instanceof Double d) row.createCell(c).setCellValue(d);
                    else row.createCell(c).setCellValue((String) rows[r][c]);
                }
            }
            wb.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void theDailyReportCountsTheDayWithinTheCallersScope() {
        JsonArray rows = new JsonArray().add(new JsonObject().put("externalId", "D1").put("name", "张三")
                .put("phone", "13800007001").put("category", "黄码").put("jurisdiction", "510104009001"));
        assertThat(http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "daily").put("cases", rows))
                .status()).isEqualTo(200);
        String today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).toString();
        Reply report = http.get("/api/v1/reports/daily?date=" + today + "&jurisdiction=510104009", ADMIN);
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.json().getJsonObject("total").getLong("received")).isEqualTo(1);
        assertThat(report.json().getJsonArray("rows").getJsonObject(0).getString("jurisdiction")).isEqualTo("510104009001");

        String community = communityToken("daily-reader", "510104009001");
        assertThat(http.get("/api/v1/reports/daily?jurisdiction=510104", community).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/reports/daily?date=" + today, community).json().getString("jurisdiction"))
                .isEqualTo("510104009001");
        Reply bad = http.get("/api/v1/reports/daily?date=yesterday", ADMIN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().getString("error")).isEqualTo("invalid_request");
    }
}
