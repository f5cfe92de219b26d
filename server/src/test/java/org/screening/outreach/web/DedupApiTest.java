package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Base64;
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
import org.screening.outreach.store.Database;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.support.IdNumbers;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.web.report.ReportLinks;

/**
 * De-duplication against self-reports and control lists (issue 7 item 4), end to end over HTTP with the dispatcher
 * running: people become known through a control list, an arrival push, the self-report page or the results
 * endpoint; a later push of the same person is closed at once with a pointer and never planned.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class DedupApiTest {
    static final String ADMIN = "dedup-admin";
    static final String HEADER = "外部编号,姓名,手机号码,证件号码,风险类别,所属社区,推送时间\n";
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final MutableClock clock = new MutableClock(
            ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
    static OutreachServer server;
    static Http http;
    static Database db;

    @BeforeAll
    static void start(TestDb testDb, @TempDir Path dataDir) {
        db = testDb.database();
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of(
                "OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", testDb.url(), "OUTREACH_ADMIN_TOKEN", ADMIN,
                "OUTREACH_DATA_DIR", dataDir.toString(), "OUTREACH_PUBLIC_URL", "https://outreach.example.cn",
                "OUTREACH_REPORT_KEY", Base64.getEncoder().encodeToString(KEY), "OUTREACH_DEDUP_DAYS", "14")), clock);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static JsonObject importCsv(String source, String rows) {
        Reply r = http.post("/api/v1/cases/import?source=" + source, ADMIN, "text/csv",
                (HEADER + rows).getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static JsonObject push(String source, JsonObject... rows) {
        Reply r = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", source)
                .put("cases", new JsonArray(List.of((Object[]) rows))));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static JsonObject row(String externalId, String name, String phone, String idNumber, String category,
                          String jurisdiction) {
        return new JsonObject().put("externalId", externalId).put("name", name).put("phone", phone)
                .put("idNumber", idNumber).put("category", category).put("jurisdiction", jurisdiction);
    }

    static JsonObject entry(JsonObject answer, int i) {
        return answer.getJsonArray("cases").getJsonObject(i);
    }

    static JsonObject caseOf(String id) {
        return http.get("/api/v1/cases/" + id, ADMIN).json();
    }

    static List<String> types(JsonObject c) {
        return c.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList();
    }

    static JsonObject pointer(String caseId) {
        return caseOf(caseId).getJsonArray("events").stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("type").equals("DUPLICATE_UNDER_CONTROL")).findFirst().orElseThrow()
                .getJsonObject("data");
    }

    static long attempts(String caseId) throws Exception {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM attempts WHERE case_id = ?")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Asserts the answer entry is a case closed at once as a duplicate of {@code of}, and returns its id. */
    static String closedAsDuplicate(JsonObject answerEntry, String of) {
        assertThat(answerEntry.getString("outcome")).isEqualTo("duplicate_under_control");
        assertThat(answerEntry.getString("status")).isEqualTo("CLOSED");
        assertThat(answerEntry.getString("duplicateOf")).isEqualTo(of);
        String id = answerEntry.getString("id");
        JsonObject c = caseOf(id);
        assertThat(c.getString("status")).isEqualTo("CLOSED");
        assertThat(types(c)).containsExactly("RECEIVED", "DUPLICATE_UNDER_CONTROL", "STATUS_CHANGED", "STATUS_CHANGED",
                "STATUS_CHANGED");
        return id;
    }

    @Test
    void aControlListedPersonPushedAgainByIdIsClosedWithAPointerAndNeverPlanned() throws Exception {
        String id = IdNumbers.valid("51010419800101001");
        String list = "C1,张三,138 0000 2001," + id + ",已纳入管控,510104001001,2022-04-01 08:00\n";
        JsonObject listed = importCsv("cdc-list", list);
        assertThat(listed.getLong("controlListed")).isEqualTo(1);
        assertThat(listed.getLong("accepted")).isZero();
        JsonObject listEntry = entry(listed, 0);
        assertThat(listEntry.getString("outcome")).isEqualTo("control_listed");
        assertThat(listEntry.getString("status")).isEqualTo("UNDER_CONTROL");
        String entryId = listEntry.getString("id");
        JsonObject again = importCsv("cdc-list", list);
        assertThat(again.getLong("duplicates")).isEqualTo(1);
        assertThat(again.getLong("controlListed")).isZero();
        assertThat(entry(again, 0).getString("id")).as("re-sending changes nothing").isEqualTo(entryId);

        // The regional-assist push has another phone and another spelling of the name; the ID number decides.
        JsonObject answer = push("sichuan-ra", row("RA1", "张 三", "13900002001", id, "区域协查", "510104001002"),
                row("RA2", "王五", "13900002002", "", "区域协查", "510104001002"));
        assertThat(answer.getLong("accepted")).isEqualTo(2);
        assertThat(answer.getLong("underControl")).isEqualTo(1);
        String dup = closedAsDuplicate(entry(answer, 0), entryId);
        assertThat(pointer(dup).getMap()).containsEntry("rule", "ID_NUMBER").containsEntry("matchedKind", "CONTROL_LIST")
                .containsEntry("matchedEntry", entryId).containsEntry("matchedSource", "cdc-list")
                .containsEntry("matchedExternalId", "C1");
        String normal = entry(answer, 1).getString("id");
        assertThat(entry(answer, 1).getString("outcome")).isEqualTo("created");

        // The dispatcher plans the other case of the same push; the duplicate gets nothing.
        Await.until("the normal case was planned", Duration.ofSeconds(20), () -> types(caseOf(normal)).contains("PLANNED"));
        assertThat(types(caseOf(dup))).doesNotContain("PLANNED");
        assertThat(attempts(dup)).isZero();
        assertThat(attempts(normal)).isPositive();
        assertThat(http.get("/metrics", null).body()).contains("intake_rows_total{result=\"under_control\"}")
                .contains("intake_rows_total{result=\"control_listed\"}");
    }

    @Test
    void samePhoneAndNameMatchesWithinTheWindowAndNotAfterIt() {
        JsonObject listed = push("cdc-list-2", row("C2", "赵六", "13800003001", "", "已管控", "510104001001"));
        String entryId = entry(listed, 0).getString("id");
        clock.advance(Duration.ofDays(13));
        JsonObject within = push("sichuan-ra", row("RA3", "赵　六", "+86 138-0000-3001", "", "REGIONAL_ASSIST", "510104001003"));
        String dup = closedAsDuplicate(entry(within, 0), entryId);
        assertThat(pointer(dup).getString("rule")).isEqualTo("PHONE_AND_NAME");

        clock.advance(Duration.ofDays(2));
        JsonObject after = push("sichuan-ra", row("RA4", "赵六", "13800003001", "", "区域协查", "510104001003"));
        assertThat(entry(after, 0).getString("outcome")).as("15 days after the list").isEqualTo("created");
        assertThat(after.getLong("underControl")).isZero();
    }

    @Test
    void aControlListSentAgainKeepsSparingItsPeopleAndAnIdReusedForAnotherPersonIsRejected() {
        JsonObject listed = push("cdc-list-daily", row("D1", "钱一", "13800006001", "", "已管控", "510104001001"),
                row("D2", "钱二", "13800006002", "", "已管控", "510104001001"));
        String entryId = entry(listed, 0).getString("id");
        clock.advance(Duration.ofDays(10));
        // The next list: 钱一 still under control; its row 2 is someone else under the same id.
        JsonObject again = push("cdc-list-daily", row("D1", "钱一", "13800006001", "", "已管控", "510104001001"),
                row("D2", "钱三", "13800006003", "", "已管控", "510104001001"));
        assertThat(again.getLong("duplicates")).isEqualTo(1);
        assertThat(entry(again, 0).getString("id")).isEqualTo(entryId);
        assertThat(again.getJsonArray("rejected")).hasSize(1);
        assertThat(again.getJsonArray("rejected").getJsonObject(0).getString("field")).isEqualTo("externalId");

        // 23 days after the first list, 13 after the second (the window is 14 days): still spared.
        clock.advance(Duration.ofDays(13));
        JsonObject push = push("sichuan-ra", row("RA9", "钱一", "13800006001", "", "区域协查", "510104001003"));
        closedAsDuplicate(entry(push, 0), entryId);
    }

    @Test
    void aFamilyPhoneWithAnotherNameOrAnotherIdNumberIsANormalCase() {
        String id = IdNumbers.valid("51010419700101002");
        push("cdc-list-3", row("C3", "孙七", "13800004001", id, "UNDER_CONTROL", "510104001001"));
        JsonObject answer = push("sichuan-ra",
                row("RA5", "孙小七", "13800004001", "", "区域协查", "510104001004"),
                row("RA6", "孙七", "13800004001", IdNumbers.valid("51010420100101003"), "区域协查", "510104001005"));
        assertThat(answer.getJsonArray("cases").stream().map(e -> ((JsonObject) e).getString("outcome")).toList())
                .containsExactly("created", "created");
        assertThat(answer.getLong("underControl")).isZero();
    }

    @Test
    void aSelfReportThroughTheLinkSparesALaterRegionalAssistPushButNotARedCode() {
        String id = IdNumbers.valid("51010419900505004");
        String first = entry(push("chengdu-cdc", row("Y1", "钱八", "13800005001", id, "黄码", "510104001006")), 0)
                .getString("id");
        ReportLinks links = new ReportLinks("https://outreach.example.cn", KEY, clock, Duration.ofHours(72));
        String link = links.link(first);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("identity", "yes");
        form.put("in_city", "yes");
        form.put("address", "玉林北路2号3栋");
        form.put("district", "武侯区");
        form.put("travel_7d", "no");
        form.put("health_code", "green");
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        assertThat(http.post(link.substring(link.indexOf("/r/")), null, "application/x-www-form-urlencoded",
                body.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(303);

        clock.advance(Duration.ofDays(1));
        JsonObject answer = push("sichuan-ra", row("RA7", "钱八", "13900005001", id, "区域协查", "510105002001"),
                row("RED1", "钱八", "13900005001", id, "红码", "510105002002"));
        String dup = closedAsDuplicate(entry(answer, 0), first);
        assertThat(pointer(dup).getMap()).containsEntry("matchedKind", "SELF_REPORT")
                .containsEntry("matchedCaseId", first).containsEntry("rule", "ID_NUMBER");
        assertThat(entry(answer, 1).getString("outcome")).as("a red code is new risk").isEqualTo("created");
    }

    @Test
    void aControlMeasureReportedOnTheResultsEndpointSparesAnyLaterPush() {
        String id = IdNumbers.valid("51010419660606005");
        String first = entry(push("chengdu-cdc", row("Y2", "周九", "13800006001", id, "黄码", "510104001007")), 0)
                .getString("id");
        assertThat(http.postJson("/api/v1/cases/" + first + "/results", ADMIN, new JsonObject()
                .put("result", "home_isolation").put("system", "武侯区社区系统")).status()).isEqualTo(200);
        JsonObject answer = push("province-red", row("RED2", "周九", "13900006001", id, "红码", "510105002003"));
        String dup = closedAsDuplicate(entry(answer, 0), first);
        assertThat(pointer(dup).getMap()).containsEntry("matchedKind", "CONTROL_MEASURE").containsEntry("matchedCaseId", first);
    }

    /**
     * The call verified someone and the community closed the case (销号); then, finding travel, it put them in home
     * isolation and its system reported that. The measure on the closed case is recorded (not refused: the person
     * must count as under control), so a later push of them is spared; the same report sent again changes nothing.
     */
    @Test
    void aControlMeasureReportedAfterTheCloseIsRecordedAndSparesALaterPush() {
        String id = IdNumbers.valid("51010419880808008");
        String first = entry(push("chengdu-cdc", row("Y8", "郑十一", "13800008001", id, "黄码", "510104001010")), 0)
                .getString("id");
        Reply closed = http.postJson("/api/v1/cases/" + first + "/results", ADMIN, new JsonObject().put("result", "verified")
                .put("system", "武侯区社区系统").put("close", true).put("reason", "电话核实无误"));
        assertThat(closed.json().getString("status")).as(closed.body()).isEqualTo("CLOSED");
        JsonObject isolation = new JsonObject().put("result", "home_isolation").put("system", "武侯区社区系统")
                .put("note", "有外地旅居史，居家隔离7天");
        for (int i = 0; i < 2; i++) {
            Reply r = http.postJson("/api/v1/cases/" + first + "/results", ADMIN, isolation);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().getString("status")).isEqualTo("CLOSED");
        }
        Reply again = http.postJson("/api/v1/cases/" + first + "/results", ADMIN, new JsonObject().put("result", "verified")
                .put("system", "武侯区社区系统").put("close", true).put("reason", "电话核实无误"));
        assertThat(again.status()).as("a report sent again answers as the first").isEqualTo(200);
        assertThat(types(caseOf(first)).stream().filter("RESULT_REPORTED"::equals)).hasSize(4);

        JsonObject answer = push("sichuan-bigdata", row("RA8", "郑十一", "13900008001", id, "区域协查", "510104001010"));
        String dup = closedAsDuplicate(entry(answer, 0), first);
        assertThat(pointer(dup).getMap()).containsEntry("matchedKind", "CONTROL_MEASURE").containsEntry("matchedCaseId", first);
    }

    @Test
    void anArrivalThatReportedItselfSparesARegionalAssistPushInTheSameFile() {
        String id = IdNumbers.valid("51010419770707006");
        JsonObject answer = importCsv("qr-and-ra", "A1,吴十,13800007001," + id + ",来返人员,510104001008,\n"
                + "A2,吴十,13900007001," + id + ",区域协查,510104001009,\n");
        String arrival = entry(answer, 0).getString("id");
        assertThat(entry(answer, 0).getString("outcome")).isEqualTo("created");
        String dup = closedAsDuplicate(entry(answer, 1), arrival);
        assertThat(pointer(dup).getMap()).containsEntry("matchedKind", "ARRIVAL").containsEntry("matchedCaseId", arrival);
    }

    @Test
    void anUnderControlRowNeedsAnIdNumberOrANameAndAnUnknownCategorySaysWhatIsAccepted() {
        JsonObject answer = push("cdc-list-4", row("C4", "", "13800008001", "", "已纳入管控", "510104001001"),
                row("C5", "郑一", "13800008002", "", "管控中", "510104001001"));
        assertThat(answer.getLong("rejectedRows")).isEqualTo(2);
        JsonArray rejected = answer.getJsonArray("rejected");
        assertThat(rejected.getJsonObject(0).getMap()).containsEntry("row", 1).containsEntry("field", "idNumber");
        assertThat(rejected.getJsonObject(1).getMap()).containsEntry("row", 2).containsEntry("field", "category");
        assertThat(rejected.getJsonObject(1).getString("message")).contains("已纳入管控");
    }
}
