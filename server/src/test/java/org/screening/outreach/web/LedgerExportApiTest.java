package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.LogCapture;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * {@code GET /api/v1/ledger/export} and the daily report as XLSX over real HTTP against a hand-made fixture: two
 * cases of county 510104 in different streets with events inside and just outside 2022-04-01..02 (Asia/Shanghai),
 * and a case of another county. Files are read back with POI and commons-csv, cell by cell.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class LedgerExportApiTest {
    static final String ADMIN = "export-admin-token";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    static final String NOTE = "已联系, 家属说\"在家\"\n电话13912345678";
    static final String STAFF = "staff:王,\"网格\"\n员";
    static final String TRANSFER_ID = "01M84GSPZMCWDZCHMS8DY5DHAP";
    static final List<String> HEADERS = List.of("案件编号", "所属社区", "风险类别", "姓名", "手机号码", "案件状态", "时间",
            "事件类型", "事件", "操作人", "详情");
    static final java.time.format.DateTimeFormatter LOCAL = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static OutreachServer server;
    static Http http;
    static final HttpClient client = HttpClient.newHttpClient();
    static String caseA;
    static String caseB;

    static Instant at(int month, int day, int hour, int minute, int second) {
        return LocalDateTime.of(2022, month, day, hour, minute, second).atZone(ZONE).toInstant();
    }

    @BeforeAll
    static void start(TestDb db, @TempDir Path dataDir) {
        // 00:30 local is still March 31 in UTC: the range must be read in the deployment's zone.
        MutableClock clock = new MutableClock(at(4, 1, 0, 30, 0));
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dataDir.toString(), "OUTREACH_DISPATCH", "off")), clock);
        http = new Http(server.port());
        JsonArray ids = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "cdc").put("cases", new JsonArray()
                .add(person("A1", "张三", "13800000001", "红码", "510104001001"))
                .add(person("B1", "=李四", "13800000002", "黄码", "510104002001"))
                .add(person("C1", "王五", "13800000003", "红码", "510105001001")))).json().getJsonArray("cases");
        caseA = ids.getJsonObject(0).getString("id");
        caseB = ids.getJsonObject(1).getString("id");
        String caseC = ids.getJsonObject(2).getString("id");
        CaseLedger ledger = new JdbcCaseLedger(db.database());
        ledger.append(new LedgerEvent(caseA, "STATUS_CHANGED", at(4, 1, 1, 0, 0), "dispatcher",
                Map.of("from", "NEW", "to", "CONTACTING", "reason", "contact planned")));
        ledger.append(new LedgerEvent(caseA, "DOOR_KNOCK_RESULT", at(4, 2, 23, 59, 59), STAFF,
                Map.of("outcome", "FOUND_VERIFIED", "note", NOTE, "task", 7)));
        ledger.append(new LedgerEvent(caseA, "STATUS_CHANGED", at(4, 3, 0, 0, 0), "dispatcher",
                Map.of("from", "NEW", "to", "CLOSED")));
        ledger.append(new LedgerEvent(caseB, "REVEALED", at(3, 31, 23, 59, 59), "token:admin",
                Map.of("fields", "phone", "by", "admin")));
        ledger.append(new LedgerEvent(caseB, "TRANSFER_CREATED", at(4, 2, 10, 0, 0), "token:admin",
                Map.of("transfer", TRANSFER_ID, "to", "500103000000", "reason", "常住重庆", "ackBy", "2022-04-02T03:00:00Z")));
        ledger.append(new LedgerEvent(caseC, "STATUS_CHANGED", at(4, 1, 12, 0, 0), "dispatcher",
                Map.of("from", "NEW", "to", "CONTACTING")));
    }

    static JsonObject person(String id, String name, String phone, String category, String jurisdiction) {
        return new JsonObject().put("externalId", id).put("name", name).put("phone", phone).put("category", category)
                .put("jurisdiction", jurisdiction);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    /** The rows the fixture must give for 510104 and 2022-04-01..02: A's three events, then B's two (not the 03-31 one). */
    static List<List<Object>> expectedRows() {
        String receivedA = "风险类别: 红码；截止时间: 2022-04-01 02:30:00；外部编号: A1；所属社区: 510104001001；可收短信: 是；来源: cdc";
        String receivedB = "风险类别: 黄码；截止时间: 2022-04-01 12:30:00；外部编号: B1；所属社区: 510104002001；可收短信: 是；来源: cdc";
        return List.of(
                row(caseA, "510104001001", "红码", "张*", "138****0001", LocalDateTime.of(2022, 4, 1, 0, 30), "RECEIVED", "接收",
                        "token:admin", receivedA),
                row(caseA, "510104001001", "红码", "张*", "138****0001", LocalDateTime.of(2022, 4, 1, 1, 0), "STATUS_CHANGED",
                        "状态变更", "dispatcher", "原状态: 新接收；原因: 已安排联系；新状态: 联系中"),
                row(caseA, "510104001001", "红码", "张*", "138****0001", LocalDateTime.of(2022, 4, 2, 23, 59, 59),
                        "DOOR_KNOCK_RESULT", "敲门结果", STAFF,
                        "备注: 已联系, 家属说\"在家\"\n电话*******5678；结果: 找到本人，核实无误；任务编号: 7"),
                row(caseB, "510104002001", "黄码", "=**", "138****0002", LocalDateTime.of(2022, 4, 1, 0, 30), "RECEIVED", "接收",
                        "token:admin", receivedB),
                row(caseB, "510104002001", "黄码", "=**", "138****0002", LocalDateTime.of(2022, 4, 2, 10, 0), "TRANSFER_CREATED",
                        "已转出到所属地", "token:admin",
                        "确认期限: 2022-04-02 11:00:00；原因: 常住重庆；新状态: 500103000000；转出编号: " + TRANSFER_ID));
    }

    static List<Object> row(Object... cells) {
        List<Object> r = new ArrayList<>(Arrays.asList(cells));
        r.add(5, "新接收"); // both cases are still NEW: the events were written straight to the ledger
        return r;
    }

    @Test
    void xlsxHasTheFixturesEventsCellByCellMaskedAndInOrder() throws IOException {
        HttpResponse<byte[]> r;
        try (LogCapture logs = new LogCapture()) {
            r = get("/api/v1/ledger/export?jurisdiction=510104&from=2022-04-01&to=2022-04-02&format=xlsx", ADMIN, null);
            String log = String.join("\n", logs.lines());
            assertThat(log).contains("ledger export by token:admin: jurisdiction 510104, 2022-04-01 to 2022-04-02, xlsx: 5 rows")
                    .doesNotContain("张").doesNotContain("13800000001");
        }
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(XLSX);
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"ledger-510104-2022-04-01-2022-04-02.xlsx\"");
        assertThat(r.headers().firstValue("X-Export-Rows")).hasValue("5");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(r.body()))) {
            Sheet sheet = wb.getSheetAt(0);
            assertThat(sheet.getSheetName()).isEqualTo("台账 2022-04-01至2022-04-02");
            assertThat(strings(sheet.getRow(0))).isEqualTo(HEADERS);
            List<List<Object>> expected = expectedRows();
            assertThat(sheet.getLastRowNum()).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                Row row = sheet.getRow(i + 1);
                for (int c = 0; c < HEADERS.size(); c++) {
                    Cell cell = row.getCell(c);
                    Object want = expected.get(i).get(c);
                    if (want instanceof LocalDateTime t) {
                        assertThat(cell.getCellType()).as("row %d %s", i + 1, HEADERS.get(c)).isEqualTo(CellType.NUMERIC);
                        assertThat(cell.getLocalDateTimeCellValue()).as("row %d %s", i + 1, HEADERS.get(c)).isEqualTo(t);
                    } else {
                        assertThat(cell.getCellType()).as("row %d %s", i + 1, HEADERS.get(c)).isEqualTo(CellType.STRING);
                        assertThat(cell.getStringCellValue()).as("row %d %s", i + 1, HEADERS.get(c)).isEqualTo(want);
                    }
                }
            }
        }
    }

    @Test
    void csvHasABomQuotesWhatNeedsItAndKeepsFormulasText() throws IOException {
        HttpResponse<byte[]> r = get("/api/v1/ledger/export?jurisdiction=510104&from=2022-04-01&to=2022-04-02", ADMIN,
                "text/csv");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"ledger-510104-2022-04-01-2022-04-02.csv\"");
        byte[] body = r.body();
        assertThat(Arrays.copyOf(body, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        String text = new String(body, 3, body.length - 3, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("13800000001").doesNotContain("13912345678").doesNotContain("张三").doesNotContain("李四");
        List<CSVRecord> records = CSVFormat.RFC4180.parse(new StringReader(text)).getRecords();
        assertThat(records.get(0).toList()).isEqualTo(HEADERS);
        List<List<Object>> expected = expectedRows();
        assertThat(records).hasSize(expected.size() + 1);
        for (int i = 0; i < expected.size(); i++) {
            List<String> want = new ArrayList<>();
            for (Object o : expected.get(i)) {
                String s = o instanceof LocalDateTime t ? LOCAL.format(t) : (String) o;
                want.add(s.startsWith("=") ? "'" + s : s);
            }
            assertThat(records.get(i + 1).toList()).as("row %d", i + 1).isEqualTo(want);
        }
    }

    @Test
    void aCommunityTokenExportsItsOwnCasesAndNothingOutsideItsScope() throws IOException {
        String community = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", "社区A")
                .put("role", "community").put("jurisdiction", "510104001001")).json().getString("token");
        HttpResponse<byte[]> own = get("/api/v1/ledger/export?from=2022-04-01&to=2022-04-02&format=csv", community, null);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(own.headers().firstValue("X-Export-Rows")).hasValue("3");
        assertThat(new String(own.body(), StandardCharsets.UTF_8)).contains(caseA).doesNotContain(caseB);

        for (String scope : List.of("510104", "510104002001")) {
            Http.Reply r = http.get("/api/v1/ledger/export?jurisdiction=" + scope + "&from=2022-04-01", community);
            assertThat(r.status()).as(scope).isEqualTo(403);
            assertThat(r.json().getString("error")).isEqualTo("forbidden");
        }
        assertThat(http.get("/api/v1/ledger/export", null).status()).isEqualTo(401);
        // The whole deployment for the admin: the other county's case too.
        HttpResponse<byte[]> all = get("/api/v1/ledger/export?from=2022-04-01&to=2022-04-02&format=csv", ADMIN, null);
        assertThat(all.headers().firstValue("X-Export-Rows")).hasValue("7");
        assertThat(all.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"ledger-all-2022-04-01-2022-04-02.csv\"");
    }

    /**
     * A county token asking for its city's report or ledger is refused, in JSON even when it asked for a file, with
     * the scope it may ask for: a level submits a report's totals upward as the figures of the jurisdiction it named,
     * so a county's figures must never come back as the city's. Left out or blank, the jurisdiction is its own.
     */
    @Test
    void aReportOrExportWiderThanTheTokensScopeIsRefusedNamingTheScopeItMayAskFor() {
        String county = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", "武侯区专班")
                .put("role", "county").put("jurisdiction", "510104")).json().getString("token");
        for (String path : List.of("/api/v1/reports/daily?date=2022-04-01", "/api/v1/reports/daily?date=2022-04-01&format=xlsx",
                "/api/v1/ledger/export?from=2022-04-01&format=csv")) {
            for (String wider : List.of("5101", "51", "510105")) {
                Http.Reply r = http.get(path + "&jurisdiction=" + wider, county);
                assertThat(r.status()).as(path + " " + wider).isEqualTo(403);
                assertThat(r.json().getString("error")).isEqualTo("forbidden");
                assertThat(r.json().getString("scope")).as(path + " " + wider).isEqualTo("510104");
                assertThat(r.json().getString("message")).as(path + " " + wider)
                        .contains("jurisdiction " + wider + " is " + (wider.equals("510105") ? "outside" : "wider than"))
                        .contains("ask for 510104 or a part of it");
            }
        }
        for (String own : List.of("", "&jurisdiction=", "&jurisdiction=%20")) {
            Http.Reply report = http.get("/api/v1/reports/daily?date=2022-04-01" + own, county);
            assertThat(report.status()).as(own).isEqualTo(200);
            assertThat(report.json().getString("jurisdiction")).as(own).isEqualTo("510104");
            assertThat(report.json().getJsonObject("total").getLong("received")).as(own).isEqualTo(2);
            HttpResponse<byte[]> export = get("/api/v1/ledger/export?from=2022-04-01&to=2022-04-02&format=csv" + own, county, null);
            assertThat(export.statusCode()).as(own).isEqualTo(200);
            assertThat(export.headers().firstValue("X-Export-Rows")).as(own).hasValue("5");
        }
    }

    @Test
    void badParametersAreRefusedWithAClearJsonError() {
        Map<String, String> bad = Map.of(
                "from=2022-13-01", "from must be a day such as 2022-04-01",
                "from=2022-04-01&to=04/02/2022", "to must be a day such as 2022-04-01",
                "from=2022-04-02&to=2022-04-01", "from (2022-04-02) is after to (2022-04-01)",
                "from=2022-03-01&to=2022-04-01", "at most 31 days",
                "from=2022-04-01&format=pdf", "format must be xlsx or csv",
                "from=2022-04-01&jurisdiction=51A", "jurisdiction must be up to 12 digits");
        bad.forEach((query, message) -> {
            Http.Reply r = http.get("/api/v1/ledger/export?" + query, ADMIN);
            assertThat(r.status()).as(query).isEqualTo(400);
            assertThat(r.json().getString("error")).as(query).isEqualTo("invalid_request");
            assertThat(r.json().getString("message")).as(query).contains(message);
        });
    }

    @Test
    void theDailyReportAsXlsxHasTheSameFiguresAsTheJson() throws IOException {
        JsonObject json = http.get("/api/v1/reports/daily?date=2022-04-01&jurisdiction=510104", ADMIN).json();
        JsonArray rows = json.getJsonArray("rows");
        assertThat(rows).hasSize(2); // the fixture by hand: one case received in each street
        assertThat(json.getJsonObject("total").getLong("received")).isEqualTo(2);
        List<String> fields = List.of("received", "reachedInTime", "escalated", "overdue", "verified", "closed",
                "transfersSent", "transfersAcknowledged", "transfersEscalated");

        HttpResponse<byte[]> byParam = get("/api/v1/reports/daily?date=2022-04-01&jurisdiction=510104&format=xlsx", ADMIN, null);
        HttpResponse<byte[]> byAccept = get("/api/v1/reports/daily?date=2022-04-01&jurisdiction=510104", ADMIN, XLSX);
        for (HttpResponse<byte[]> r : List.of(byParam, byAccept)) {
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(XLSX);
            assertThat(r.headers().firstValue("Content-Disposition"))
                    .hasValue("attachment; filename=\"daily-report-510104-2022-04-01.xlsx\"");
            try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(r.body()))) {
                Sheet sheet = wb.getSheetAt(0);
                assertThat(sheet.getSheetName()).isEqualTo("每日报告 2022-04-01");
                assertThat(strings(sheet.getRow(0))).containsExactly("区划代码", "当日接收", "按时联系上", "转敲门核查",
                        "超时未联系上", "当日核实", "当日销号", "转出外地", "1小时内确认接收", "转出未确认报专班");
                assertThat(sheet.getLastRowNum()).isEqualTo(rows.size() + 1);
                for (int i = 0; i <= rows.size(); i++) {
                    JsonObject want = i < rows.size() ? rows.getJsonObject(i) : json.getJsonObject("total");
                    Row row = sheet.getRow(i + 1);
                    assertThat(row.getCell(0).getStringCellValue())
                            .isEqualTo(i < rows.size() ? want.getString("jurisdiction") : "合计");
                    for (int c = 0; c < fields.size(); c++) {
                        assertThat(row.getCell(c + 1).getNumericCellValue()).as("row %d %s", i + 1, fields.get(c))
                                .isEqualTo(want.getLong(fields.get(c)).doubleValue());
                    }
                }
            }
        }
        assertThat(http.get("/api/v1/reports/daily?date=2022-04-01", ADMIN).json().getString("date")).isEqualTo("2022-04-01");
        Http.Reply pdf = http.get("/api/v1/reports/daily?format=pdf", ADMIN);
        assertThat(pdf.status()).isEqualTo(400);
        assertThat(pdf.json().getString("message")).contains("json or xlsx");
    }

    static List<String> strings(Row row) {
        List<String> out = new ArrayList<>();
        row.forEach(c -> out.add(c.getStringCellValue()));
        return out;
    }

    static HttpResponse<byte[]> get(String path, String token, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(java.time.Duration.ofSeconds(60)).header("Authorization", "Bearer " + token);
        if (accept != null) b.header("Accept", accept);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
