package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.LogCapture;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** The console over real HTTP: creating accounts through the API, login, cookies, CSRF and scope. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class ConsoleHttpTest {
    static final String ADMIN = "console-admin-token";
    static final String PASSWORD = "gridworker-2022";
    @TempDir
    static Path dir;
    static OutreachServer server;
    static Http http;
    static String caseA;
    static String caseB;
    static TestDb db;

    @BeforeAll
    static void start(TestDb testDb) {
        db = testDb;
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dir.resolve("data").toString(),
                "OUTREACH_DISPATCH", "off")), Clock.systemUTC());
        http = new Http(server.port());
        JsonArray ids = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "http").put("cases", new JsonArray()
                .add(new JsonObject().put("externalId", "H1").put("name", "<b>赵</b>六").put("phone", "13800001301")
                        .put("category", "红码").put("jurisdiction", "510104001001"))
                .add(new JsonObject().put("externalId", "H2").put("name", "钱七").put("phone", "13800001302")
                        .put("category", "黄码").put("jurisdiction", "510104001002")))).json().getJsonArray("cases");
        caseA = ids.getJsonObject(0).getString("id");
        caseB = ids.getJsonObject(1).getString("id");
        assertThat(staff("http.a", PASSWORD, "community", "510104001001", false).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    static Http.Reply staff(String username, String password, String role, String prefix, boolean admin) {
        return http.postJson("/api/v1/staff", ADMIN, new JsonObject().put("username", username).put("password", password)
                .put("displayName", "网格员").put("role", role).put("jurisdictionPrefix", prefix).put("admin", admin));
    }

    @Test
    void theAdminTokenCreatesAccountsAndBadOnesGetClearErrors() {
        Http.Reply ok = staff("http.b", PASSWORD, "staff", "510104001002", false);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().getString("username")).isEqualTo("http.b");
        assertThat(ok.json().getString("role")).isEqualTo("staff");
        assertThat(ok.body()).doesNotContain(PASSWORD).doesNotContain("$2a$");

        Http.Reply weak = staff("http.c", "short", "community", "510104001001", false);
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().getString("message")).contains("at least 10 characters");
        Http.Reply role = staff("http.c", PASSWORD, "mayor", "510104001001", false);
        assertThat(role.status()).isEqualTo(400);
        assertThat(role.json().getString("message")).contains("role");
        assertThat(staff("http.c", PASSWORD, "community", "51A", false).status()).isEqualTo(400);
        assertThat(staff("HTTP.B", PASSWORD, "community", "510104001001", false).status()).isEqualTo(409);
        assertThat(http.post("/api/v1/staff", ADMIN, "application/json", "[1]".getBytes()).status()).isEqualTo(400);
        assertThat(http.postJson("/api/v1/staff", null, new JsonObject()).status()).isEqualTo(401);

        String community = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", "社区A")
                .put("role", "community").put("jurisdiction", "510104001001")).json().getString("token");
        Http.Reply notAdmin = http.postJson("/api/v1/staff", community, new JsonObject().put("username", "http.d")
                .put("password", PASSWORD).put("displayName", "x").put("role", "staff").put("jurisdictionPrefix", "510104001001"));
        assertThat(notAdmin.status()).isEqualTo(403);
    }

    @Test
    void loginSetsAHardenedSessionCookieAndWrongPasswordsLookLikeUnknownUsers() {
        ConsoleClient browser = new ConsoleClient(server.port());
        HttpResponse<String> first = browser.get("/console");
        assertThat(first.statusCode()).isEqualTo(303);
        assertThat(first.headers().firstValue("Location")).hasValue("/console/login?next=%2Fconsole");

        HttpResponse<String> wrong = browser.login("http.a", "not-the-password");
        HttpResponse<String> unknown = browser.login("nobody-here", "not-the-password");
        assertThat(wrong.statusCode()).isEqualTo(401).isEqualTo(unknown.statusCode());
        assertThat(wrong.body()).contains("用户名或密码不正确");
        assertThat(unknown.body()).contains("用户名或密码不正确");

        HttpResponse<String> ok;
        try (LogCapture logs = new LogCapture("org.screening.outreach")) {
            ok = browser.login("http.a", PASSWORD);
            assertThat(String.join("\n", logs.lines())).doesNotContain(PASSWORD).contains("console login of staff account");
        }
        assertThat(ok.statusCode()).isEqualTo(303);
        assertThat(ok.headers().firstValue("Location")).hasValue("/console");
        String setCookie = ok.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("osc_session="))
                .findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("SameSite=Lax").contains("Path=/console").doesNotContain("Secure");

        HttpResponse<String> list = browser.get("/console");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        assertThat(list.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(list.body()).contains("138****1301").doesNotContain("13800001301")
                .contains("&lt;b&gt;赵&lt;/b&gt;六").doesNotContain("<b>").doesNotContain("钱");
        assertThat(list.body()).as("a screen reader tells the rows' reveal buttons apart")
                .contains("aria-label=\"显示&lt;b&gt;赵&lt;/b&gt;六（138****1301）的完整号码\"");
        assertThat(list.body()).as("and which tab is shown").contains("class=\"tab current\" aria-current=\"page\"");
        String caseId = list.body().replaceAll("(?s).*?href=\"/console/cases/([0-9A-Z]{26})\".*", "$1");
        String casePage = browser.get("/console/cases/" + caseId).body();
        assertThat(casePage).as("the case page's reveal button says what it shows")
                .containsPattern("class=\"small reveal-btn\" aria-label=\"显示[^\"]+（[0-9*]+）的完整号码\"");
        assertThat(browser.post("/console/cases/" + caseId + "/reveal", Map.of("csrf", ConsoleClient.csrf(casePage))).body())
                .as("without the page's script too, the number shown is one tap from dialling")
                .containsPattern("<span class=\"phone\" data-phone=\"" + caseId + "\"><a href=\"tel:[0-9]+\">[0-9]+</a></span>");
    }

    @Test
    void postsWithoutTheSessionsCsrfTokenAreRefused() {
        ConsoleClient browser = new ConsoleClient(server.port());
        assertThat(browser.login("http.a", PASSWORD).statusCode()).isEqualTo(303);
        HttpResponse<String> forged = browser.post("/console/cases/" + caseA + "/close", Map.of("reason", "forged"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("请求被拒绝");
        HttpResponse<String> wrongToken = browser.post("/console/cases/" + caseA + "/reveal", Map.of("csrf", "x".repeat(43)));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(http.get("/api/v1/cases/" + caseA, ADMIN).json().getJsonArray("events").stream()
                .map(e -> ((JsonObject) e).getString("type")).toList()).doesNotContain("REVEALED");

        ConsoleClient other = new ConsoleClient(server.port());
        String page = other.get("/console/login").body();
        HttpResponse<String> noLoginToken = new ConsoleClient(server.port()).post("/console/login",
                Map.of("csrf", ConsoleClient.csrf(page), "username", "http.a", "password", PASSWORD));
        assertThat(noLoginToken.statusCode()).as("the login form's token without its cookie").isEqualTo(403);
    }

    @Test
    void aCommunityAccountSeesNothingOfAnotherCommunity() {
        ConsoleClient browser = new ConsoleClient(server.port());
        assertThat(browser.login("http.a", PASSWORD).statusCode()).isEqualTo(303);
        String token = ConsoleClient.csrf(browser.get("/console").body());
        assertThat(browser.get("/console/cases/" + caseB).statusCode()).isEqualTo(403);
        assertThat(browser.post("/console/cases/" + caseB + "/reveal", Map.of("csrf", token)).statusCode()).isEqualTo(403);
        assertThat(browser.post("/console/cases/" + caseB + "/verify", Map.of("csrf", token, "method", "phone"))
                .statusCode()).isEqualTo(403);
        assertThat(browser.get("/console?community=510104001002").body()).contains("不在您的管辖范围内")
                .doesNotContain("钱");
        assertThat(browser.get("/console/cases/01ZZZZZZZZZZZZZZZZZZZZZZZZ").statusCode()).isEqualTo(404);
        assertThat(browser.get("/console/admin/staff").statusCode()).as("not an admin").isEqualTo(403);
    }

    @Test
    void anAdminAccountCreatesAccountsWithinItsJurisdiction() {
        assertThat(staff("http.admin", PASSWORD, "county", "510104", true).status()).isEqualTo(201);
        ConsoleClient admin = new ConsoleClient(server.port());
        assertThat(admin.login("http.admin", PASSWORD).statusCode()).isEqualTo(303);
        HttpResponse<String> page = admin.get("/console/admin/staff");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("http.a");
        String token = ConsoleClient.csrf(page.body());

        HttpResponse<String> weak = admin.post("/console/admin/staff", Map.of("csrf", token, "username", "http.e",
                "password", "short", "displayName", "李四", "role", "community", "jurisdictionPrefix", "510104001003"));
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("密码至少需要10个字符").contains("value=\"http.e\"").doesNotContain("short\"");
        HttpResponse<String> outside = admin.post("/console/admin/staff", Map.of("csrf", token, "username", "http.e",
                "password", PASSWORD, "displayName", "李四", "role", "community", "jurisdictionPrefix", "510105"));
        assertThat(outside.statusCode()).isEqualTo(403);
        for (String wider : new String[] {"province", "city"}) {
            // A county admin must not make an account above its own level (a province account texts the province).
            HttpResponse<String> above = admin.post("/console/admin/staff", Map.of("csrf", token, "username", "http.p",
                    "password", PASSWORD, "displayName", "王五", "role", wider, "jurisdictionPrefix", "510104"));
            assertThat(above.statusCode()).as(wider).isEqualTo(403);
            assertThat(above.body()).contains("只能在您自己的管辖范围和级别内新建账号");
        }
        assertThat(new ConsoleClient(server.port()).login("http.p", PASSWORD).statusCode()).as("no such account")
                .isNotEqualTo(303);
        HttpResponse<String> taken = admin.post("/console/admin/staff", Map.of("csrf", token, "username", "HTTP.A",
                "password", PASSWORD, "displayName", "李四", "role", "community", "jurisdictionPrefix", "510104001003"));
        assertThat(taken.statusCode()).isEqualTo(409);
        assertThat(taken.body()).contains("该用户名已被使用");

        HttpResponse<String> created = admin.post("/console/admin/staff", Map.of("csrf", token, "username", "http.e",
                "password", PASSWORD, "displayName", "<i>李四</i>", "role", "community", "jurisdictionPrefix", "510104001003"));
        assertThat(created.statusCode()).isEqualTo(303);
        HttpResponse<String> after = admin.get(created.headers().firstValue("Location").orElseThrow());
        assertThat(after.body()).contains("账号 http.e 已创建").contains("&lt;i&gt;李四&lt;/i&gt;");
        assertThat(new ConsoleClient(server.port()).login("http.e", PASSWORD).statusCode()).isEqualTo(303);
    }

    @Test
    void aCaseNobodyCanFindGoesToPoliceReviewWithAReason() {
        String id = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "police").put("cases", new JsonArray()
                .add(new JsonObject().put("externalId", "P1").put("name", "孙八").put("phone", "13800001309")
                        .put("category", "黄码").put("jurisdiction", "510104001001").put("language", "en"))))
                .json().getJsonArray("cases").getJsonObject(0).getString("id");
        ConsoleClient browser = new ConsoleClient(server.port());
        assertThat(browser.login("http.a", PASSWORD).statusCode()).isEqualTo(303);
        String page = browser.get("/console/cases/" + id).body();
        assertThat(page).as("the door-knock team should know to speak English").contains("id=\"case-language\">英语交流<");
        assertThat(browser.get("/console?section=all").body()).as("and the work list says so too")
                .contains("<span class=\"badge lang\">英语交流</span>");
        String token = ConsoleClient.csrf(page);
        HttpResponse<String> noReason = browser.post("/console/cases/" + id + "/police-review", Map.of("csrf", token));
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("请填写转公安核查的原因");
        HttpResponse<String> sent = browser.post("/console/cases/" + id + "/police-review",
                Map.of("csrf", token, "policeReason", "电话空号，地址查无此人"));
        assertThat(sent.statusCode()).isEqualTo(303);
        assertThat(browser.get(sent.headers().firstValue("Location").orElseThrow()).body()).contains("已转公安核查。")
                .contains("转公安核查").contains("原因: 电话空号，地址查无此人");
        assertThat(http.get("/api/v1/cases/" + id, ADMIN).json().getString("status")).isEqualTo("POLICE_REVIEW");
    }

    @Test
    void aCaseFoundLivingElsewhereIsHandedToItsHomeJurisdiction() {
        String id = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "moved").put("cases", new JsonArray()
                .add(new JsonObject().put("externalId", "M1").put("name", "周九").put("phone", "13800001310")
                        .put("category", "黄码").put("jurisdiction", "510104001001")))).json().getJsonArray("cases")
                .getJsonObject(0).getString("id");
        ConsoleClient browser = new ConsoleClient(server.port());
        assertThat(browser.login("http.a", PASSWORD).statusCode()).isEqualTo(303);
        String page = browser.get("/console/cases/" + id).body();
        assertThat(page).contains("转出到所属地");
        String token = ConsoleClient.csrf(page);
        HttpResponse<String> badCode = browser.post("/console/cases/" + id + "/transfer",
                Map.of("csrf", token, "transferTo", "重庆", "transferReason", "敲门：已搬至重庆"));
        assertThat(badCode.statusCode()).isEqualTo(400);
        assertThat(badCode.body()).contains("请填写所属地的统计区划代码").contains("敲门：已搬至重庆");
        assertThat(browser.post("/console/cases/" + id + "/transfer", Map.of("csrf", token, "transferTo", "500103"))
                .body()).contains("请填写转出原因");

        // Typed on a Chinese keyboard in full-width mode.
        HttpResponse<String> sent = browser.post("/console/cases/" + id + "/transfer",
                Map.of("csrf", token, "transferTo", "５００１０３", "transferReason", "敲门：已搬至重庆渝中区"));
        assertThat(sent.statusCode()).isEqualTo(303);
        HttpResponse<String> again = browser.post("/console/cases/" + id + "/transfer",
                Map.of("csrf", token, "transferTo", "500103", "transferReason", "敲门：已搬至重庆渝中区"));
        assertThat(again.statusCode()).as("a double tap is done, not refused").isEqualTo(303);
        assertThat(again.headers().firstValue("Location")).isEqualTo(sent.headers().firstValue("Location"));
        String after = browser.get(sent.headers().firstValue("Location").orElseThrow()).body();
        // No peer is configured on this server: the hand-over goes straight to the county task force.
        assertThat(after).contains("已转出，等待对方确认接收。").contains("已转出到所属地").contains("500103000000")
                .contains("转出未确认，已报县级专班").doesNotContain("id=\"transfer-form\"");
        assertThat(after).as("the receipt deadline in local time, not a UTC instant").contains("确认期限: ")
                .doesNotContainPattern("\\d{4}-\\d{2}-\\d{2}T\\d{2}:");
        assertThat(http.get("/api/v1/cases/" + id, ADMIN).json().getString("status")).isEqualTo("TRANSFERRED");
        assertThat(http.get("/api/v1/transfers?escalated=true", ADMIN).json().getJsonArray("transfers").encode())
                .contains(id).contains("NO_PEER");
        assertThat(http.get("/api/v1/transfers?escalated=true", ADMIN).json().getJsonArray("transfers").stream()
                .filter(o -> id.equals(((JsonObject) o).getString("caseId")))).as("one hand-over").hasSize(1);
        String taskForce = browser.get("/console/transfers").body();
        assertThat(taskForce).contains("转出跟踪").contains("/console/cases/" + id).contains("无对接系统")
                .contains("500103000000").contains("敲门：已搬至重庆渝中区");
        ConsoleClient other = new ConsoleClient(server.port());
        assertThat(staff("http.t", PASSWORD, "community", "510104001002", false).status()).isEqualTo(201);
        assertThat(other.login("http.t", PASSWORD).statusCode()).isEqualTo(303);
        assertThat(other.get("/console/transfers").body()).as("another community's transfers stay hidden")
                .doesNotContain(id).contains("没有需要跟进的转出");

        // Whoever sees a transfer may send it again (the scope decides, not the role): the community that handed the
        // person over has the button; another community's account cannot reach it.
        String transferId = http.get("/api/v1/transfers?escalated=true", ADMIN).json().getJsonArray("transfers").stream()
                .map(o -> (JsonObject) o).filter(o -> o.getString("caseId").equals(id)).findFirst().orElseThrow().getString("id");
        assertThat(taskForce).contains("id=\"retry-" + transferId + "\"");
        HttpResponse<String> hers = browser.post("/console/transfers/" + transferId + "/retry", Map.of("csrf", token));
        assertThat(hers.statusCode()).as("still no receiving system for 500103").isEqualTo(409);
        assertThat(other.post("/console/transfers/" + transferId + "/retry",
                Map.of("csrf", ConsoleClient.csrf(other.get("/console/transfers").body()))).statusCode()).isEqualTo(404);
        ConsoleClient county = new ConsoleClient(server.port());
        assertThat(staff("http.tf", PASSWORD, "county", "510104", false).status()).isEqualTo(201);
        assertThat(county.login("http.tf", PASSWORD).statusCode()).isEqualTo(303);
        String list = county.get("/console/transfers").body();
        assertThat(list).contains("id=\"retry-" + transferId + "\"").contains("重新发送");
        HttpResponse<String> noPeerYet = county.post("/console/transfers/" + transferId + "/retry",
                Map.of("csrf", ConsoleClient.csrf(list)));
        assertThat(noPeerYet.statusCode()).as("still no receiving system for 500103").isEqualTo(409);
        assertThat(noPeerYet.body()).contains("无法重新发送");
    }

    @Test
    void theDashboardShowsTheAccountsScopeOnly() {
        ConsoleClient browser = new ConsoleClient(server.port());
        assertThat(browser.login("http.a", PASSWORD).statusCode()).isEqualTo(303);
        HttpResponse<String> page = browser.get("/console/dashboard?days=7");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("时限看板").contains("近7天趋势").contains("<td>510104001001</td>")
                .doesNotContain("510104001002").contains("<svg id=\"trend\"").contains("各类别按时联系率");
        assertThat(page.body().split("<rect class=\"bar-", -1)).hasSize(7 * 3 + 7); // 3 bars a day + 7 category bars
        assertThat(browser.get("/console/dashboard?days=9999").body()).as("an odd range falls back to 14 days")
                .contains("近14天趋势");
        assertThat(browser.get("/console/dashboard?lang=en").body()).contains("Deadline dashboard");
    }

    @Test
    void logoutEndsTheSession() {
        ConsoleClient browser = new ConsoleClient(server.port());
        assertThat(browser.login("http.a", PASSWORD).statusCode()).isEqualTo(303);
        String token = ConsoleClient.csrf(browser.get("/console").body());
        List<java.net.HttpCookie> before = List.copyOf(browser.cookies.getCookieStore().getCookies());
        assertThat(browser.post("/console/logout", Map.of("csrf", token)).statusCode()).isEqualTo(303);
        assertThat(browser.get("/console").statusCode()).isEqualTo(303);
        // The old cookie value no longer opens anything, even if a copy of it was kept.
        ConsoleClient thief = new ConsoleClient(server.port());
        before.forEach(c -> thief.cookies.getCookieStore().add(java.net.URI.create("http://127.0.0.1:" + server.port()), c));
        assertThat(thief.get("/console").statusCode()).isEqualTo(303);
        // A case form sent after the session ended: after the login, back to that case, not the start of the list.
        HttpResponse<String> late = browser.post("/console/cases/" + caseA + "/door-knock", Map.of("csrf", token));
        assertThat(late.headers().firstValue("Location"))
                .hasValue("/console/login?next=%2Fconsole%2Fcases%2F" + caseA);
    }

    /** A pushed case in 510104001001 turned into a door knock the way the dispatcher hands it over. */
    static String doorKnockCase(String externalId, String phone) {
        String id = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "knock").put("cases", new JsonArray()
                .add(new JsonObject().put("externalId", externalId).put("name", "郑十一").put("phone", phone)
                        .put("category", "黄码").put("jurisdiction", "510104001001")))).json().getJsonArray("cases")
                .getJsonObject(0).getString("id");
        new JdbcAttemptQueue(db.database(), new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())))
                .escalateNow(List.of(id), DoorKnockTask.NOT_REACHED, Instant.now());
        return id;
    }

    static JsonObject task(String caseId) {
        return http.get("/api/v1/door-knocks?jurisdiction=510104001001", ADMIN).json().getJsonArray("tasks").stream()
                .map(t -> (JsonObject) t).filter(t -> caseId.equals(t.getString("caseId"))).findFirst().orElseThrow();
    }

    @Test
    void theCasePageAssignsItsDoorKnock() {
        String id = doorKnockCase("K1", "13800001311");
        String other = doorKnockCase("K2", "13800001312");
        ConsoleClient browser = new ConsoleClient(server.port());
        assertThat(browser.login("http.a", PASSWORD).statusCode()).isEqualTo(303);
        String page = browser.get("/console/cases/" + id).body();
        assertThat(page).contains("id=\"assign-form\"");
        String token = ConsoleClient.csrf(page);
        String taskId = String.valueOf(task(id).getLong("id"));

        HttpResponse<String> noName = browser.post("/console/cases/" + id + "/door-knock/assign",
                Map.of("csrf", token, "task", taskId, "assignee", " "));
        assertThat(browser.get(noName.headers().firstValue("Location").orElseThrow()).body()).contains("请填写负责人");
        HttpResponse<String> wrongCase = browser.post("/console/cases/" + other + "/door-knock/assign",
                Map.of("csrf", token, "task", taskId, "assignee", "李书记"));
        assertThat(browser.get(wrongCase.headers().firstValue("Location").orElseThrow()).body())
                .as("a task of another case").contains("该敲门任务已结束或不存在");
        assertThat(task(id).getString("status")).isEqualTo("OPEN");
        assertThat(browser.post("/console/cases/" + id + "/door-knock/assign", Map.of("task", taskId, "assignee", "李书记"))
                .statusCode()).as("no CSRF token").isEqualTo(403);

        HttpResponse<String> assigned = browser.post("/console/cases/" + id + "/door-knock/assign",
                Map.of("csrf", token, "task", taskId, "assignee", "<b>李书记</b>"));
        assertThat(assigned.statusCode()).isEqualTo(303);
        assertThat(assigned.headers().firstValue("Location")).hasValue("/console/cases/" + id + "?done=assigned");
        String after = browser.get("/console/cases/" + id).body();
        assertThat(after).contains("敲门任务已分配").contains("负责人: &lt;b&gt;李书记&lt;/b&gt;").doesNotContain("<b>李书记");
        assertThat(task(id).getString("status")).isEqualTo("ASSIGNED");
        assertThat(task(id).getString("assignee")).isEqualTo("<b>李书记</b>");
        HttpResponse<String> again = browser.post("/console/cases/" + id + "/door-knock/assign",
                Map.of("csrf", token, "task", taskId, "assignee", "<b>李书记</b>"));
        assertThat(again.headers().firstValue("Location")).as("a double tap").hasValue("/console/cases/" + id + "?done=assigned");
        assertThat(http.get("/api/v1/cases/" + id, ADMIN).json().getJsonArray("events").stream()
                .filter(e -> "DOOR_KNOCK_ASSIGNED".equals(((JsonObject) e).getString("type"))))
                .as("one assignment in the ledger, not one per tap").hasSize(1);

        ConsoleClient elsewhere = new ConsoleClient(server.port());
        assertThat(staff("http.k", PASSWORD, "community", "510104001002", false).status()).isEqualTo(201);
        assertThat(elsewhere.login("http.k", PASSWORD).statusCode()).isEqualTo(303);
        String otherToken = ConsoleClient.csrf(elsewhere.get("/console").body());
        elsewhere.post("/console/cases/" + id + "/door-knock/assign", Map.of("csrf", otherToken, "task", taskId, "assignee", "外人"));
        assertThat(task(id).getString("assignee")).as("outside the account's scope").isEqualTo("<b>李书记</b>");
    }

    /** The hidden fields of the form with this id, as the browser would send them. */
    static Map<String, String> hiddenFields(String page, String formId) {
        String form = page.substring(page.indexOf("id=\"" + formId + "\""));
        form = form.substring(0, form.indexOf("</form>"));
        Map<String, String> out = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"").matcher(form);
        while (m.find()) out.put(m.group(1), m.group(2));
        return out;
    }

    static long doorKnockResults(String caseId) {
        return http.get("/api/v1/cases/" + caseId, ADMIN).json().getJsonArray("events").stream()
                .filter(e -> "DOOR_KNOCK_RESULT".equals(((JsonObject) e).getString("type"))).count();
    }

    /** A refused form is shown again at the form's address: the language link goes back to the case page. */
    @Test
    void theLanguageLinkOfARefusedTransferOrSmsFormOpensTheCasePage() {
        String landline = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "lang").put("cases",
                new JsonArray().add(new JsonObject().put("externalId", "L1").put("name", "冯九").put("phone", "02887654321")
                        .put("category", "黄码").put("jurisdiction", "510104001001")))).json().getJsonArray("cases")
                .getJsonObject(0).getString("id");
        ConsoleClient browser = loggedIn("http.a", PASSWORD);
        String token = ConsoleClient.csrf(browser.get("/console/cases/" + landline).body());
        for (String action : List.of("transfer", "sms")) {
            HttpResponse<String> refused = browser.post("/console/cases/" + landline + "/" + action,
                    Map.of("csrf", token, "transferTo", "x"));
            assertThat(refused.statusCode()).as(action).isBetween(400, 499);
            assertThat(refused.body()).as(action)
                    .contains("id=\"lang-switch\" href=\"/console/cases/" + landline + "?lang=en\"");
        }
    }

    /** A double tap on a phone sends the door-knock form twice: one visit is one result, and both answers say done. */
    @Test
    void aDoorKnockResultSentTwiceIsRecordedOnce() {
        String id = doorKnockCase("K3", "13800001313");
        ConsoleClient browser = loggedIn("http.a", PASSWORD);
        Map<String, String> form = hiddenFields(browser.get("/console/cases/" + id).body(), "door-knock-form");
        form.putAll(Map.of("outcome", "NOT_AT_HOME", "cadre", "李书记", "healthWorker", "王医生", "police", "赵警官"));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = browser.post("/console/cases/" + id + "/door-knock", form);
            assertThat(r.statusCode()).isEqualTo(303);
            assertThat(r.headers().firstValue("Location")).hasValue("/console/cases/" + id + "?done=door_knock");
        }
        assertThat(doorKnockResults(id)).as("one visit, one result").isEqualTo(1);

        Map<String, String> next = hiddenFields(browser.get("/console/cases/" + id).body(), "door-knock-form");
        next.putAll(Map.of("outcome", "FOUND_VERIFIED", "cadre", "李书记", "healthWorker", "王医生", "police", "赵警官"));
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = browser.post("/console/cases/" + id + "/door-knock", next);
            assertThat(r.statusCode()).as("the repeat is not an error").isEqualTo(303);
        }
        assertThat(doorKnockResults(id)).as("the next visit is a result of its own").isEqualTo(2);
        assertThat(http.get("/api/v1/cases/" + id, ADMIN).json().getString("status")).isEqualTo("VERIFIED");
    }

    /** A console address with a broken percent escape gets the console's not-found page, not JSON. */
    @Test
    void aMangledConsoleAddressGetsTheConsolesNotFoundPage() {
        String reply = http.raw("GET /console/cases/01M996KWXE1X8X9F075G06NP15%ZZ");
        assertThat(reply).startsWith("HTTP/1.1 404").contains("没有找到这个页面或排查对象").doesNotContain("invalid_request");
    }

    /** Verify, close and police review sent twice (a double tap, a page left open): both answers say done. */
    @Test
    void aDecisionSentTwiceIsDoneOnceAndNeitherAnswerIsAnError() {
        ConsoleClient browser = loggedIn("http.a", PASSWORD);
        String id = doorKnockCase("K4", "13800001314");
        String token = ConsoleClient.csrf(browser.get("/console/cases/" + id).body());
        for (String[] step : new String[][] {{"verify", "method", "phone", "verified"}, {"close", "reason", "核实无误", "closed"}}) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> r = browser.post("/console/cases/" + id + "/" + step[0], Map.of("csrf", token, step[1], step[2]));
                assertThat(r.statusCode()).as(step[0] + " #" + (i + 1)).isEqualTo(303);
                assertThat(r.headers().firstValue("Location")).hasValue("/console/cases/" + id + "?done=" + step[3]);
            }
        }
        String police = doorKnockCase("K5", "13800001315");
        for (int i = 0; i < 2; i++) {
            assertThat(browser.post("/console/cases/" + police + "/police-review", Map.of("csrf", token, "policeReason",
                    "查无此人")).statusCode()).isEqualTo(303);
        }
        JsonArray events = http.get("/api/v1/cases/" + id, ADMIN).json().getJsonArray("events");
        assertThat(events.stream().map(e -> ((JsonObject) e).getJsonObject("data").getString("to"))
                .filter(to -> "VERIFIED".equals(to) || "CLOSED".equals(to))).as("one move each").hasSize(2);
        assertThat(http.get("/api/v1/cases/" + id, ADMIN).json().getString("status")).isEqualTo("CLOSED");
    }

    @Test
    void theDoorKnockFormShowsOnTheCasePageOfACommunityWithThousandsOfOpenTasks() throws Exception {
        assertThat(staff("http.big", PASSWORD, "community", "510104001009", false).status()).isEqualTo(201);
        String id = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "knock").put("cases", new JsonArray()
                .add(new JsonObject().put("externalId", "K9").put("name", "郑十二").put("phone", "13800001319")
                        .put("category", "黄码").put("jurisdiction", "510104001009")))).json().getJsonArray("cases")
                .getJsonObject(0).getString("id");
        new JdbcAttemptQueue(db.database(), new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())))
                .escalateNow(List.of(id), DoorKnockTask.NOT_REACHED, Instant.now());
        // A big push: 600 other tasks of the same community, all due sooner.
        try (java.sql.Connection c = db.database().connection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "INSERT INTO door_knock_tasks (case_id, jurisdiction, created_at, due_at, status, reason) "
                        + "VALUES (?, '510104001009', '2022-04-01 00:00:00', '2022-04-01 01:00:00', 'OPEN', 'not_reached')")) {
            for (int i = 0; i < 600; i++) {
                ps.setString(1, String.format("01G0000000000000000000%04d", i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        String page = loggedIn("http.big", PASSWORD).get("/console/cases/" + id).body();
        assertThat(page).contains("id=\"door-knock-form\"");
    }

    /** Logs in {@code username} in a fresh client and checks it worked. */
    static ConsoleClient loggedIn(String username, String password) {
        ConsoleClient c = new ConsoleClient(server.port());
        assertThat(c.login(username, password).statusCode()).as(username + " logs in").isEqualTo(303);
        return c;
    }

    record AdminAndWorker(ConsoleClient admin, String token, ConsoleClient worker) {}

    /** A new county admin of 510104 on its staff page and a new community worker, both logged in. */
    static AdminAndWorker adminAndWorker(String adminName, String workerName) {
        assertThat(staff(adminName, PASSWORD, "county", "510104", true).status()).isEqualTo(201);
        assertThat(staff(workerName, PASSWORD, "community", "510104001001", false).status()).isEqualTo(201);
        ConsoleClient worker = loggedIn(workerName, PASSWORD);
        ConsoleClient admin = loggedIn(adminName, PASSWORD);
        return new AdminAndWorker(admin, ConsoleClient.csrf(admin.get("/console/admin/staff").body()), worker);
    }

    static List<String> changes(String username) throws java.sql.SQLException {
        try (java.sql.Connection c = db.database().connection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "SELECT x.change_kind, x.actor FROM staff_account_changes x JOIN staff_accounts a ON a.id = x.account_id "
                        + "WHERE a.username = ? ORDER BY x.id")) {
            ps.setString(1, username);
            List<String> out = new java.util.ArrayList<>();
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1) + " by " + rs.getString(2));
            }
            return out;
        }
    }

    @Test
    void anAdminDisablesAndEnablesAnAccountAndItsSessionsEndAtOnce() throws Exception {
        AdminAndWorker accounts = adminAndWorker("http.boss1", "http.d1");
        ConsoleClient worker = accounts.worker();
        ConsoleClient admin = accounts.admin();
        String token = accounts.token();

        HttpResponse<String> disabled;
        try (LogCapture logs = new LogCapture("org.screening.outreach")) {
            disabled = admin.post("/console/admin/staff/disable", Map.of("csrf", token, "username", "http.d1"));
            assertThat(String.join("\n", logs.lines())).contains("disabled by staff account").doesNotContain("http.d1");
        }
        assertThat(disabled.statusCode()).isEqualTo(303);
        String page = admin.get(disabled.headers().firstValue("Location").orElseThrow()).body();
        assertThat(page).contains("账号 http.d1 已停用").contains("http.d1 (已停用)");
        HttpResponse<String> kickedOut = worker.get("/console");
        assertThat(kickedOut.statusCode()).as("the open session ends at once").isEqualTo(303);
        assertThat(kickedOut.headers().firstValue("Location").orElseThrow()).startsWith("/console/login");
        assertThat(new ConsoleClient(server.port()).login("http.d1", PASSWORD).statusCode()).isEqualTo(401);
        assertThat(changes("http.d1")).containsExactly("DISABLED by staff:http.boss1");

        assertThat(admin.post("/console/admin/staff/enable", Map.of("csrf", token, "username", "http.d1")).statusCode())
                .isEqualTo(303);
        assertThat(worker.get("/console").statusCode()).as("an old session does not come back").isEqualTo(303);
        loggedIn("http.d1", PASSWORD);
        assertThat(changes("http.d1")).containsExactly("DISABLED by staff:http.boss1", "ENABLED by staff:http.boss1");

        HttpResponse<String> self = admin.post("/console/admin/staff/disable", Map.of("csrf", token, "username", "http.boss1"));
        assertThat(self.statusCode()).isEqualTo(409);
        assertThat(self.body()).contains("不能停用自己的账号");
        assertThat(admin.post("/console/admin/staff/disable", Map.of("csrf", token, "username", "http.nobody"))
                .statusCode()).isEqualTo(404);
        assertThat(admin.post("/console/admin/staff/disable", Map.of("username", "http.d1")).statusCode())
                .as("no CSRF token").isEqualTo(403);
        assertThat(staff("http.far", PASSWORD, "community", "510105001001", false).status()).isEqualTo(201);
        assertThat(admin.post("/console/admin/staff/disable", Map.of("csrf", token, "username", "http.far")).statusCode())
                .as("outside the admin's jurisdiction").isEqualTo(404);
        loggedIn("http.far", PASSWORD);
    }

    @Test
    void anAdminSetsANewPasswordAndTheOldOneStopsWorking() throws Exception {
        AdminAndWorker accounts = adminAndWorker("http.boss2", "http.d2");
        ConsoleClient worker = accounts.worker();
        ConsoleClient admin = accounts.admin();
        String token = accounts.token();

        HttpResponse<String> weak = admin.post("/console/admin/staff/password",
                Map.of("csrf", token, "username", "http.d2", "password", "short"));
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("密码至少需要10个字符").doesNotContain("value=\"short\"");
        String fresh = "new-secret-2022";
        HttpResponse<String> set;
        try (LogCapture logs = new LogCapture("org.screening.outreach")) {
            set = admin.post("/console/admin/staff/password", Map.of("csrf", token, "username", "http.d2", "password", fresh));
            assertThat(String.join("\n", logs.lines())).contains("set by staff account").doesNotContain(fresh)
                    .doesNotContain("http.d2");
        }
        assertThat(set.statusCode()).isEqualTo(303);
        assertThat(admin.get(set.headers().firstValue("Location").orElseThrow()).body()).contains("账号 http.d2 的密码已重设");
        assertThat(worker.get("/console").statusCode()).as("the account's sessions end").isEqualTo(303);
        assertThat(new ConsoleClient(server.port()).login("http.d2", PASSWORD).statusCode()).isEqualTo(401);
        loggedIn("http.d2", fresh);
        assertThat(changes("http.d2")).containsExactly("PASSWORD_SET by staff:http.boss2");

        // Their own password: their other sessions end, the one they are using stays.
        ConsoleClient elsewhere = loggedIn("http.boss2", PASSWORD);
        assertThat(admin.post("/console/admin/staff/password",
                Map.of("csrf", token, "username", "http.boss2", "password", fresh)).statusCode()).isEqualTo(303);
        assertThat(admin.get("/console/admin/staff").statusCode()).isEqualTo(200);
        assertThat(elsewhere.get("/console").statusCode()).isEqualTo(303);
    }

    @Test
    void onlyAdminsChangeAccounts() {
        ConsoleClient worker = loggedIn("http.a", PASSWORD);
        String token = ConsoleClient.csrf(worker.get("/console").body());
        for (String change : List.of("disable", "enable", "password")) {
            HttpResponse<String> r = worker.post("/console/admin/staff/" + change,
                    Map.of("csrf", token, "username", "http.a", "password", "another-password-1"));
            assertThat(r.statusCode()).as(change).isEqualTo(403);
        }
        loggedIn("http.a", PASSWORD);
        String community = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", "社区B")
                .put("role", "community").put("jurisdiction", "510104001001")).json().getString("token");
        assertThat(http.postJson("/api/v1/staff/http.a/disable", community, new JsonObject()).status()).isEqualTo(403);
        assertThat(http.postJson("/api/v1/staff/http.a/disable", null, new JsonObject()).status()).isEqualTo(401);
    }

    @Test
    void theApiDisablesEnablesAndSetsPasswords() throws Exception {
        assertThat(staff("http.d3", PASSWORD, "community", "510104001001", false).status()).isEqualTo(201);
        ConsoleClient worker = loggedIn("http.d3", PASSWORD);
        Http.Reply off = http.postJson("/api/v1/staff/http.d3/disable", ADMIN, new JsonObject());
        assertThat(off.status()).isEqualTo(200);
        assertThat(off.json().getBoolean("disabled")).isTrue();
        assertThat(http.postJson("/api/v1/staff/http.d3/disable", ADMIN, new JsonObject()).status())
                .as("again: nothing changes, nothing is recorded").isEqualTo(200);
        assertThat(worker.get("/console").statusCode()).isEqualTo(303);
        assertThat(new ConsoleClient(server.port()).login("http.d3", PASSWORD).statusCode()).isEqualTo(401);
        assertThat(http.postJson("/api/v1/staff/http.d3/enable", ADMIN, new JsonObject()).json().getBoolean("disabled"))
                .isFalse();
        Http.Reply weak = http.postJson("/api/v1/staff/http.d3/password", ADMIN, new JsonObject().put("password", "short"));
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.json().getString("message")).contains("at least 10 characters");
        assertThat(http.post("/api/v1/staff/http.d3/password", ADMIN, "application/json", "[1]".getBytes()).status())
                .isEqualTo(400);
        Http.Reply set = http.postJson("/api/v1/staff/http.d3/password", ADMIN, new JsonObject().put("password", "api-set-2022!"));
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.body()).doesNotContain("api-set-2022!");
        loggedIn("http.d3", "api-set-2022!");
        assertThat(http.postJson("/api/v1/staff/http.none/disable", ADMIN, new JsonObject()).status()).isEqualTo(404);
        assertThat(changes("http.d3")).containsExactly("DISABLED by token:admin", "ENABLED by token:admin",
                "PASSWORD_SET by token:admin");
    }
}
