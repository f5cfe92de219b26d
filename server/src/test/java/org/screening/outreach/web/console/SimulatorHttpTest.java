package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
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

/** The phone simulator over real HTTP: admin only, CSRF, a whole practice call, and no case touched. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class SimulatorHttpTest {
    static final String ADMIN = "simulator-admin-token";
    static final String PASSWORD = "keypad-practice-2022";
    static final String IDENTITY_Q = "您是这个手机号码的使用人吗？是，请按1；不是，请按2。";
    @TempDir
    static Path dir;
    static OutreachServer server;
    static Http http;

    @BeforeAll
    static void start(TestDb db) {
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dir.resolve("data").toString(),
                "OUTREACH_DISPATCH", "off")), Clock.systemUTC());
        http = new Http(server.port());
        assertThat(staff("sim.admin", "510104", true).status()).isEqualTo(201);
        assertThat(staff("sim.worker", "510104001001", false).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    static Http.Reply staff(String username, String prefix, boolean admin) {
        return http.postJson("/api/v1/staff", ADMIN, new JsonObject().put("username", username).put("password", PASSWORD)
                .put("displayName", "测试员").put("role", "community").put("jurisdictionPrefix", prefix).put("admin", admin));
    }

    static ConsoleClient as(String username) {
        ConsoleClient c = new ConsoleClient(server.port());
        assertThat(c.login(username, PASSWORD).statusCode()).isEqualTo(303);
        return c;
    }

    /** Posts a form of the simulator with the page's CSRF token, expects the redirect back, returns the page. */
    static String post(ConsoleClient c, String path, String... fields) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("csrf", ConsoleClient.csrf(c.get("/console/simulator").body()));
        for (int i = 0; i < fields.length; i += 2) form.put(fields[i], fields[i + 1]);
        HttpResponse<String> r = c.post(path, form);
        assertThat(r.statusCode()).as(path + " " + form).isEqualTo(303);
        assertThat(r.headers().firstValue("Location")).hasValue("/console/simulator");
        HttpResponse<String> page = c.get("/console/simulator");
        assertThat(page.statusCode()).isEqualTo(200);
        return page.body();
    }

    static String key(ConsoleClient c, String key) {
        return post(c, "/console/simulator/event", "key", key);
    }

    @Test
    void onlyAdminsGetTheSimulatorAndEveryPostNeedsTheCsrfToken() {
        ConsoleClient admin = as("sim.admin");
        HttpResponse<String> page = admin.get("/console/simulator");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("电话模拟").contains("拨打").contains("value=\"screening-call|zh-CN\"")
                .contains("screening-call (en)").doesNotContain("id=\"sim-keypad\"");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElseThrow()).contains("frame-ancestors 'none'");
        assertThat(admin.get("/console").body()).contains("href=\"/console/simulator\"");

        HttpResponse<String> forged = admin.post("/console/simulator/start", Map.of("script", "screening-call|zh-CN"));
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("请求被拒绝");
        assertThat(admin.post("/console/simulator/event", Map.of("key", "1")).statusCode()).isEqualTo(403);

        ConsoleClient worker = as("sim.worker");
        HttpResponse<String> refused = worker.get("/console/simulator");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("只有管理员可以使用电话模拟");
        assertThat(worker.get("/console").body()).doesNotContain("/console/simulator");
        String csrf = ConsoleClient.csrf(worker.get("/console").body());
        assertThat(worker.post("/console/simulator/start", Map.of("csrf", csrf, "script", "screening-call|zh-CN"))
                .statusCode()).isEqualTo(403);

        HttpResponse<String> anonymous = new ConsoleClient(server.port()).get("/console/simulator");
        assertThat(anonymous.statusCode()).isEqualTo(303);
    }

    @Test
    void aWholePracticeCallEndsWithTheClosingWordsAndAVerifiedByPhoneResult() {
        ConsoleClient admin = as("sim.admin");
        String cases = http.get("/api/v1/cases?limit=5", ADMIN).body();
        String page = post(admin, "/console/simulator/start", "script", "screening-call|zh-CN");
        assertThat(page).contains("您好，这里是模拟社区排查专班。").contains(IDENTITY_Q).contains("id=\"sim-keypad\"")
                .contains("通话中，等待按键");

        // Silence repeats the question after the script's notice.
        page = post(admin, "/console/simulator/event", "event", "silence");
        assertThat(page).contains("（您没有按键）").contains("没有听到按键，请再听一遍。");
        assertThat(page.split(IDENTITY_Q, -1)).hasSize(3);

        page = key(admin, "1"); // one key is all the gather takes: sent at once
        assertThat(page).contains("（您按了 1）").contains("您现在在本市吗？").contains("<td>identity</td><td>yes</td><td>1</td>");
        page = key(admin, "1");
        assertThat(page).contains("最近7天，您去过或路过外地吗？");
        page = key(admin, "2");
        assertThat(page).contains("您的健康码是什么颜色？");
        page = key(admin, "1");
        assertThat(page).contains("您的回答是：").contains("谢谢配合。稍后您会收到一条短信，请点开短信里的链接，完成自主申报。再见。")
                .contains("通话完成").doesNotContain("id=\"sim-keypad\"")
                .contains("<td>health_code</td><td>green</td><td>1</td>")
                .contains("<td id=\"sim-identity\">本人使用</td>").contains("<td id=\"sim-inCity\">在本市</td>")
                .contains("<td id=\"sim-travel\">没有去过外地</td>").contains("<td id=\"sim-healthCode\">绿码</td>")
                .contains("<td id=\"sim-followUps\">标记为已联系上；电话核实完成</td>").contains("<td id=\"sim-flags\">无</td>");

        // A practice call is no case: nothing new in the case list.
        assertThat(http.get("/api/v1/cases?limit=5", ADMIN).body()).isEqualTo(cases);
        // Cleared: the page is back to the dial form.
        assertThat(post(admin, "/console/simulator/reset")).doesNotContain("sim-lines");
    }

    @Test
    void keysWaitForHashUntilTheGathersMaximumAndAHangUpEndsTheCall() {
        ConsoleClient admin = as("sim.admin");
        post(admin, "/console/simulator/start", "script", "screening-call|zh-CN");
        key(admin, "1");
        key(admin, "1");
        String page = key(admin, "1"); // travelled: the arrival date question takes up to 8 keys or #
        assertThat(page).contains("您哪天回到本市？");
        page = key(admin, "3");
        assertThat(page).contains("<span id=\"sim-pending\">3</span>").doesNotContain("（您按了 3）");
        page = key(admin, "#");
        assertThat(page).contains("（您按了 3）").contains("您的健康码是什么颜色？").contains("<td>arrival_date</td>");
        page = post(admin, "/console/simulator/event", "event", "hangup");
        assertThat(page).contains("（您挂断了电话）").contains("已挂断").contains("<td id=\"sim-travel\">去过外地</td>")
                .contains("<td id=\"sim-healthCode\">未回答</td>").contains("交社区跟进").contains("回答不完整");
        // After the end, keys change nothing.
        assertThat(key(admin, "1")).contains("已挂断");
    }

    @Test
    void anUnknownScriptIsRefusedInWords() {
        ConsoleClient admin = as("sim.admin");
        String csrf = ConsoleClient.csrf(admin.get("/console/simulator").body());
        HttpResponse<String> r = admin.post("/console/simulator/start", Map.of("csrf", csrf, "script", "nope|xx"));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("请选择一个已加载的话术。");
    }
}
