package org.screening.outreach.web.console;

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
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
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
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/** {@code /console/export}: the form, the ledger and daily report downloads, scoped by the staff account. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class ConsoleExportTest {
    static final String ADMIN = "console-export-admin";
    static final String PASSWORD = "gridworker-2022";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static OutreachServer server;
    static String caseA;
    static String caseB;

    @BeforeAll
    static void start(TestDb db, @TempDir Path dir) {
        MutableClock clock = new MutableClock(LocalDateTime.of(2022, 4, 1, 9, 0).atZone(ZONE).toInstant());
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dir.toString(), "OUTREACH_DISPATCH", "off")), clock);
        Http http = new Http(server.port());
        JsonArray ids = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "console").put("cases", new JsonArray()
                .add(new JsonObject().put("externalId", "E1").put("name", "赵六").put("phone", "13800001401")
                        .put("category", "红码").put("jurisdiction", "510104001001"))
                .add(new JsonObject().put("externalId", "E2").put("name", "钱七").put("phone", "13800001402")
                        .put("category", "黄码").put("jurisdiction", "510104001002")))).json().getJsonArray("cases");
        caseA = ids.getJsonObject(0).getString("id");
        caseB = ids.getJsonObject(1).getString("id");
        assertThat(http.postJson("/api/v1/staff", ADMIN, new JsonObject().put("username", "export.a").put("password", PASSWORD)
                .put("displayName", "网格员").put("role", "community").put("jurisdictionPrefix", "510104001001")
                .put("admin", false)).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    static ConsoleClient loggedIn() {
        ConsoleClient browser = new ConsoleClient(server.port());
        assertThat(browser.login("export.a", PASSWORD).statusCode()).isEqualTo(303);
        return browser;
    }

    @Test
    void theFormOffersBothDownloadsForTodayAndIsLinkedFromEveryPage() {
        ConsoleClient browser = loggedIn();
        assertThat(browser.get("/console").body()).contains("href=\"/console/export\"");
        HttpResponse<String> page = browser.get("/console/export");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("id=\"export-ledger\"").contains("id=\"export-daily\"")
                .contains("name=\"from\" value=\"2022-04-01\"").contains("placeholder=\"510104001001\"")
                .contains("一次最多31天");
        assertThat(new ConsoleClient(server.port()).get("/console/export?download=ledger").statusCode())
                .as("no session: to the login page").isEqualTo(303);
    }

    @Test
    void theLedgerDownloadHoldsOnlyTheAccountsCommunityMasked() throws IOException {
        ConsoleClient browser = loggedIn();
        HttpResponse<byte[]> csv = download(browser, "/console/export?download=ledger&from=2022-04-01&to=2022-04-01&format=csv");
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv; charset=utf-8");
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"ledger-510104001001-2022-04-01-2022-04-01.csv\"");
        assertThat(csv.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        String text = new String(csv.body(), StandardCharsets.UTF_8);
        assertThat(text).startsWith("\uFEFF");
        List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(text.substring(1))).getRecords();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(1).toList()).containsExactly(caseA, "510104001001", "红码", "赵*", "138****1401", "新接收",
                "2022-04-01 09:00:00", "RECEIVED", "接收", "token:admin",
                "风险类别: 红码；截止时间: 2022-04-01 11:00:00；外部编号: E1；所属社区: 510104001001；可收短信: 是；来源: console");
        assertThat(text).doesNotContain(caseB).doesNotContain("13800001401");

        HttpResponse<byte[]> xlsx = download(browser, "/console/export?download=ledger&from=2022-04-01&format=xlsx");
        assertThat(xlsx.statusCode()).isEqualTo(200);
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(xlsx.body()))) {
            Sheet sheet = wb.getSheetAt(0);
            assertThat(sheet.getLastRowNum()).isEqualTo(1);
            assertThat(sheet.getRow(1).getCell(0).getStringCellValue()).isEqualTo(caseA);
            assertThat(sheet.getRow(1).getCell(3).getStringCellValue()).isEqualTo("赵*");
        }
    }

    @Test
    void outsideTheScopeIs403AndBadDaysShowTheFormAgain() {
        ConsoleClient browser = loggedIn();
        HttpResponse<String> other = browser.get("/console/export?download=ledger&community=510104001002&from=2022-04-01");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).contains("不在您的管辖范围内").doesNotContain(caseB);
        // Wider than the account's scope: refused, not narrowed, naming what it may ask for, as the API answers.
        HttpResponse<String> wider = browser.get("/console/export?download=daily&community=510104");
        assertThat(wider.statusCode()).isEqualTo(403);
        assertThat(wider.body()).contains("区划 510104 不在您的管辖范围内或大于该范围").contains("请填写 510104001001 或其下级区划");

        HttpResponse<String> order = browser.get("/console/export?download=ledger&from=2022-04-02&to=2022-04-01");
        assertThat(order.statusCode()).isEqualTo(400);
        assertThat(order.body()).contains("开始日期不能晚于结束日期").contains("name=\"from\" value=\"2022-04-02\"");
        assertThat(browser.get("/console/export?download=ledger&from=2022-03-01&to=2022-04-01").body())
                .contains("一次最多导出31天");
        assertThat(browser.get("/console/export?download=ledger&from=1.4.2022").body()).contains("请填写有效日期");
        assertThat(browser.get("/console/export?download=daily&date=x&lang=en").body()).contains("Enter a valid day");
        assertThat(browser.get("/console/export?download=ledger&format=pdf&lang=zh").statusCode()).isEqualTo(400);
    }

    @Test
    void theDailyReportDownloadIsTheApisSheet() throws IOException {
        HttpResponse<byte[]> r = download(loggedIn(), "/console/export?download=daily&date=2022-04-01");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"daily-report-510104001001-2022-04-01.xlsx\"");
        try (XSSFWorkbook wb = new XSSFWorkbook(new ByteArrayInputStream(r.body()))) {
            Sheet sheet = wb.getSheetAt(0);
            assertThat(sheet.getRow(0).getCell(1).getStringCellValue()).isEqualTo("当日接收");
            assertThat(sheet.getRow(1).getCell(0).getStringCellValue()).isEqualTo("510104001001");
            assertThat(sheet.getRow(1).getCell(1).getNumericCellValue()).isEqualTo(1.0);
            assertThat(sheet.getRow(2).getCell(0).getStringCellValue()).isEqualTo("合计");
            assertThat(sheet.getRow(2).getCell(1).getNumericCellValue()).isEqualTo(1.0);
        }
    }

    /** A download with the browser's session cookie. */
    static HttpResponse<byte[]> download(ConsoleClient browser, String path) {
        HttpClient client = HttpClient.newBuilder().cookieHandler(browser.cookies).build();
        try {
            return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
