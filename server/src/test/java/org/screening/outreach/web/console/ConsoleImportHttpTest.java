package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** {@code /console/import} over real HTTP: the API's intake behind a session, its scope, CSRF and size limit. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class ConsoleImportHttpTest {
    static final String ADMIN = "console-import-admin";
    static final String PASSWORD = "import-worker-2022";
    static final String HEADER = "外部编号,姓名,手机号码,证件号码,风险类别,所属社区,推送时间\n";
    private static final Pattern ERROR_ROW = Pattern.compile(
            "<tr><td class=\"row\">(\\d+)</td><td class=\"field\">([^<]*)</td><td class=\"message\">([^<]*)</td></tr>");
    @TempDir
    static Path dir;
    static OutreachServer server;
    static Http http;

    @BeforeAll
    static void start(TestDb db) {
        server = ConsoleTestKit.start(db, dir, ADMIN, Clock.systemUTC(),
                Map.of("OUTREACH_DISPATCH", "off", "OUTREACH_MAX_IMPORT_MB", "1"));
        http = new Http(server.port());
        ConsoleTestKit.staff(http, ADMIN, "imp.a", PASSWORD, "community", "510104001001");
        ConsoleTestKit.staff(http, ADMIN, "imp.b", PASSWORD, "community", "510104001002");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    static ConsoleClient loggedIn(String username) {
        return ConsoleTestKit.loggedIn(server, username, PASSWORD);
    }

    static HttpResponse<String> upload(ConsoleClient c, String csv) {
        String csrf = ConsoleClient.csrf(c.get("/console/import").body());
        return c.postFile("/console/import", Map.of("csrf", csrf, "source", "console-test"), "file", "cases.csv",
                csv.getBytes(StandardCharsets.UTF_8));
    }

    static String count(String page, String id) {
        Matcher m = Pattern.compile("id=\"" + id + "\">(\\d+)<").matcher(page);
        assertThat(m.find()).as(id + " on the page").isTrue();
        return m.group(1);
    }

    static List<List<String>> errors(String page) {
        Matcher m = ERROR_ROW.matcher(page);
        List<List<String>> rows = new java.util.ArrayList<>();
        while (m.find()) rows.add(List.of(m.group(1), m.group(2), m.group(3)));
        return rows;
    }

    @Test
    void aRowWithAnUnreadablePushTimeIsImportedAndItsWarningShownInChinese() {
        ConsoleClient a = loggedIn("imp.a");
        HttpResponse<String> r = upload(a, HEADER + "W1,周九,13800002091,,红码,510104001001,2022年4月1日 08:30\n"
                + "W2,吴十,13800002092,,红码,510104001001,昨天上午\n");
        String page = r.body();
        assertThat(count(page, "count-accepted")).isEqualTo("2");
        assertThat(page).contains("id=\"no-errors\"").contains("id=\"import-warnings\"");
        Matcher w = Pattern.compile("id=\"import-warnings\".*?<td class=\"row\">(\\d+)</td><td class=\"field\">([^<]*)</td>"
                + "<td class=\"message\">([^<]*)</td>", Pattern.DOTALL).matcher(page);
        assertThat(w.find()).isTrue();
        assertThat(w.group(1)).isEqualTo("2");
        assertThat(w.group(3)).contains("推送时间无法识别").contains("接收时间");
        assertThat(w.find()).as("one warning only").isFalse();
    }

    @Test
    void goodRowsAreImportedAndBadOnesListedWithRowAndField() {
        ConsoleClient a = loggedIn("imp.a");
        String csv = HEADER
                + "I1,<img src=x onerror=alert(1)>王,13800002001,,红码,510104001001,\n"
                + "I2,李四,12345,,黄码,510104001001,\n"
                + "I3,张三,13800002003,,蓝码,510104001001,\n"
                + "I4,赵五,13800002004,,红码,510104001002,\n";
        HttpResponse<String> first = upload(a, csv);
        assertThat(first.statusCode()).isEqualTo(200);
        String page = first.body();
        assertThat(count(page, "count-accepted")).isEqualTo("1");
        assertThat(count(page, "count-rejected")).isEqualTo("3");
        assertThat(count(page, "count-duplicates")).isEqualTo("0");
        assertThat(count(page, "count-merged")).isEqualTo("0");
        assertThat(count(page, "count-under-control")).isEqualTo("0");
        List<List<String>> errors = errors(page);
        assertThat(errors).extracting(r -> r.get(0) + " " + r.get(1))
                .containsExactly("2 手机号码", "3 风险类别", "4 所属社区");
        assertThat(errors.get(0).get(2)).isEqualTo("手机号码位数太少");
        assertThat(errors.get(1).get(2)).startsWith("风险类别无法识别");
        assertThat(errors.get(2).get(2)).isEqualTo("所属社区不在您的管辖范围（510104001001）内");
        // The name is markup: shown masked and as text, never as a tag.
        assertThat(page).doesNotContain("<img").contains("&lt;*");
        assertThat(page).doesNotContain("13800002001");

        // The same file again changes nothing: the good row is a duplicate now.
        String again = upload(a, csv).body();
        assertThat(count(again, "count-accepted")).isEqualTo("0");
        assertThat(count(again, "count-duplicates")).isEqualTo("1");
        // The case is in the ledger, imported by this account.
        JsonObject listed = http.get("/api/v1/cases?jurisdiction=510104001001", ADMIN).json();
        assertThat(listed.encode()).contains("I1").doesNotContain("\"I4\"");
    }

    @Test
    void anAccountOfAnotherCommunityCannotImportRowsOutsideItsPrefix() {
        ConsoleClient b = loggedIn("imp.b");
        String page = upload(b, HEADER + "S1,孙六,13800002101,,红码,510104001001,\n").body();
        assertThat(count(page, "count-accepted")).isEqualTo("0");
        assertThat(errors(page)).extracting(r -> r.get(1)).containsExactly("所属社区");
        assertThat(http.get("/api/v1/cases?jurisdiction=510104001001", ADMIN).json().encode()).doesNotContain("\"S1\"");
    }

    @Test
    void withoutCsrfOrSessionNothingIsImported() {
        ConsoleClient a = loggedIn("imp.a");
        byte[] csv = (HEADER + "X1,周七,13800002201,,红码,510104001001,\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> forged = a.postFile("/console/import", Map.of("source", "forged"), "file", "x.csv", csv);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("请求被拒绝");
        HttpResponse<String> anonymous = new ConsoleClient(server.port()).postFile("/console/import", Map.of("csrf", "x"),
                "file", "x.csv", csv);
        assertThat(anonymous.statusCode()).isEqualTo(303);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow()).startsWith("/console/login");
        assertThat(http.get("/api/v1/cases?jurisdiction=510104001001", ADMIN).json().encode()).doesNotContain("\"X1\"");
    }

    @Test
    void damagedFilesMissingFilesAndOversizedFilesGetClearPages() {
        ConsoleClient a = loggedIn("imp.a");
        HttpResponse<String> noColumn = upload(a, "外部编号,姓名\nD1,吴八\n");
        assertThat(noColumn.statusCode()).isEqualTo(400);
        assertThat(noColumn.body()).contains("文件无法导入，没有登记任何对象").doesNotContain("Exception");

        String csrf = ConsoleClient.csrf(a.get("/console/import").body());
        HttpResponse<String> none = a.postFile("/console/import", Map.of("csrf", csrf), "file", null, null);
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).contains("请选择要导入的文件");

        byte[] big = new byte[1024 * 1024 + 10];
        Arrays.fill(big, (byte) 'a');
        HttpResponse<String> tooLarge = a.postFile("/console/import", Map.of("csrf", csrf), "file", "big.csv", big);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body()).contains("内容过大").contains("1 MB");
    }

    @Test
    void theNavigationLeadsToTheImportPage() {
        ConsoleClient a = loggedIn("imp.a");
        String list = a.get("/console").body();
        assertThat(list).contains("href=\"/console/import\"").doesNotContain("href=\"/console/campaigns\"");
        String form = a.get("/console/import?lang=en").body();
        assertThat(form).contains("Import a case list").contains("enctype=\"multipart/form-data\"");
    }
}
