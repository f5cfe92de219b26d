package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
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

/**
 * {@code /console/campaigns} over real HTTP: only province accounts, preview with SMS parts, create from a file,
 * the progress JSON, pause / resume / cancel, CSRF and scope. Nothing is sent (no dispatcher; the start is tomorrow).
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class ConsoleCampaignsHttpTest {
    static final String ADMIN = "console-campaigns-admin";
    static final String PASSWORD = "province-office-2022";
    static final String NUMBERS = "手机号码\n13800138001\n13800138002\n13800138001\n12345\n138 0013 8003\n";
    @TempDir
    static Path dir;
    static OutreachServer server;
    static Http http;

    @BeforeAll
    static void start(TestDb db) {
        server = ConsoleTestKit.start(db, dir, ADMIN, Clock.systemUTC(), Map.of("OUTREACH_DISPATCH", "off"));
        http = new Http(server.port());
        ConsoleTestKit.staff(http, ADMIN, "sc.province", PASSWORD, "province", "51");
        ConsoleTestKit.staff(http, ADMIN, "cq.province", PASSWORD, "province", "50");
        ConsoleTestKit.staff(http, ADMIN, "sc.community", PASSWORD, "community", "510104001001");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    static ConsoleClient loggedIn(String username) {
        return ConsoleTestKit.loggedIn(server, username, PASSWORD);
    }

    static Map<String, String> form(ConsoleClient c, String text) {
        Map<String, String> f = new HashMap<>();
        f.put("csrf", ConsoleClient.csrf(c.get("/console/campaigns").body()));
        f.put("name", "核酸<b>通知</b>");
        f.put("template", "campaign.notice");
        f.put("lang", "zh-CN");
        f.put("var.sender", "四川省疫情防控指挥部");
        f.put("var.text", text);
        f.put("startAt", LocalDateTime.now(ZoneId.of("Asia/Shanghai")).plusDays(1)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")));
        f.put("quietHours", "none");
        return f;
    }

    /** Creates a campaign through the form; its id. */
    static long create(ConsoleClient c) {
        HttpResponse<String> created = c.postFile("/console/campaigns", form(c, "今日全员核酸检测"), "recipients",
                "numbers.csv", NUMBERS.getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).matches("/console/campaigns/\\d+\\?created=1");
        return Long.parseLong(location.replaceAll("\\D+(\\d+)\\?.*", "$1"));
    }

    static JsonObject progress(ConsoleClient c, long id) {
        HttpResponse<String> r = c.get("/console/campaigns/" + id + "/progress");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new JsonObject(r.body());
    }

    static HttpResponse<String> move(ConsoleClient c, long id, String move) {
        String csrf = ConsoleClient.csrf(c.get("/console/campaigns/" + id).body());
        return c.post("/console/campaigns/" + id + "/" + move, Map.of("csrf", csrf));
    }

    @Test
    void thePreviewShowsTheTextAndItsSmsPartsBeforeAnythingIsSent() {
        ConsoleClient p = loggedIn("sc.province");
        HttpResponse<String> preview = p.postFile("/console/campaigns/preview", form(p, "今".repeat(100)), "recipients",
                null, null);
        assertThat(preview.statusCode()).isEqualTo(200);
        assertThat(preview.body()).contains("id=\"preview-text\">【四川省疫情防控指挥部】" + "今".repeat(100))
                .contains("按 2 条短信计费").contains("UCS2");
        // What was typed stays in the form, escaped.
        assertThat(preview.body()).contains("value=\"核酸&lt;b&gt;通知&lt;/b&gt;\"");

        Map<String, String> bad = form(p, "x");
        bad.put("template", "reminder.RED");
        HttpResponse<String> refused = p.postFile("/console/campaigns/preview", bad, "recipients", null, null);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("短信内容无法生成").doesNotContain("Exception");
    }

    @Test
    void aCreatedCampaignShowsItsProgressAndIsPausedResumedAndCancelled() {
        ConsoleClient p = loggedIn("sc.province");
        long id = create(p);
        String page = p.get("/console/campaigns/" + id + "?created=1").body();
        assertThat(page).contains("群发任务已创建").contains("核酸&lt;b&gt;通知&lt;/b&gt;").doesNotContain("<b>通知")
                .contains("【四川省疫情防控指挥部】今日全员核酸检测").contains("data-url=\"/console/campaigns/" + id + "/progress\"")
                .doesNotContain("13800138001");
        JsonObject fig = progress(p, id);
        assertThat(fig.getString("status")).isEqualTo("RUNNING");
        assertThat(fig.getString("statusText")).isEqualTo("发送中");
        assertThat(fig.getInteger("total")).isEqualTo(5);
        assertThat(fig.getLong("recipients")).isEqualTo(3);
        assertThat(fig.getInteger("invalid")).isEqualTo(1);
        assertThat(fig.getInteger("duplicates")).isEqualTo(1);
        assertThat(fig.getLong("queued")).isEqualTo(3);
        assertThat(fig.getLong("sent")).isZero();
        assertThat(fig.getBoolean("final")).isFalse();
        assertThat(fig.encode()).doesNotContain("13800138001");
        String list = p.get("/console/campaigns").body();
        assertThat(list).contains("href=\"/console/campaigns/" + id + "\"").contains("id=\"campaigns-as-of\"");
        assertThat(list).as("the list's figures say when they were counted (at the end of the import here)")
                .containsPattern("data-campaign=\"" + id + "\">.*<td class=\"as-of\">\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d</td>");

        HttpResponse<String> paused = move(p, id, "pause");
        assertThat(paused.statusCode()).isEqualTo(303);
        assertThat(paused.headers().firstValue("Location")).hasValue("/console/campaigns/" + id + "?moved=PAUSED");
        assertThat(progress(p, id).getString("status")).isEqualTo("PAUSED");
        assertThat(p.get("/console/campaigns/" + id + "?moved=PAUSED").body()).contains("群发任务现在已暂停。");
        HttpResponse<String> again = move(p, id, "pause");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("不能这样操作");
        assertThat(move(p, id, "resume").statusCode()).isEqualTo(303);
        assertThat(progress(p, id).getString("status")).isEqualTo("RUNNING");
        assertThat(move(p, id, "cancel").statusCode()).isEqualTo(303);
        JsonObject cancelled = progress(p, id);
        assertThat(cancelled.getString("status")).isEqualTo("CANCELLED");
        assertThat(cancelled.getBoolean("final")).isTrue();
        assertThat(p.get("/console/campaigns/" + id).body()).doesNotContain("id=\"campaign-moves\"");
    }

    /** The rows that were left out say why in the page's language, as the case import's do. */
    @Test
    void leftOutNumbersSayWhyInChinese() {
        ConsoleClient p = loggedIn("sc.province");
        HttpResponse<String> created = p.postFile("/console/campaigns", form(p, "今日全员核酸检测"), "recipients",
                "numbers.csv", "手机号码\n13800138011\n12345\n028-87654321\n".getBytes(StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        String page = p.get(created.headers().firstValue("Location").orElseThrow()).body();
        String rows = page.substring(page.indexOf("id=\"invalid-rows\""));
        assertThat(rows).contains("手机号码位数太少", "不是手机号码，无法接收短信").doesNotContain("phone is");
    }

    @Test
    void withoutCsrfNothingMoves() {
        ConsoleClient p = loggedIn("sc.province");
        long id = create(p);
        HttpResponse<String> forged = p.post("/console/campaigns/" + id + "/cancel", Map.of());
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(progress(p, id).getString("status")).isEqualTo("RUNNING");
        Map<String, String> noToken = form(p, "x");
        noToken.remove("csrf");
        assertThat(p.postFile("/console/campaigns", noToken, "recipients", "n.csv",
                NUMBERS.getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(403);
    }

    @Test
    void accountsWithoutTheRightOrOutsideTheScopeAreRefused() {
        ConsoleClient p = loggedIn("sc.province");
        long id = create(p);
        ConsoleClient community = loggedIn("sc.community");
        assertThat(community.get("/console/campaigns").statusCode()).isEqualTo(403);
        assertThat(community.get("/console/campaigns").body()).contains("只有省级账号可以群发短信");
        assertThat(community.get("/console/campaigns/" + id).statusCode()).isEqualTo(403);
        assertThat(community.get("/console/campaigns/" + id + "/progress").statusCode()).isEqualTo(403);
        String csrf = ConsoleClient.csrf(community.get("/console").body());
        assertThat(community.post("/console/campaigns/" + id + "/cancel", Map.of("csrf", csrf)).statusCode()).isEqualTo(403);
        assertThat(community.get("/console").body()).doesNotContain("href=\"/console/campaigns\"");

        // Another province's office does not see this one's campaign at all.
        ConsoleClient other = loggedIn("cq.province");
        assertThat(other.get("/console/campaigns/" + id).statusCode()).isEqualTo(404);
        assertThat(other.get("/console/campaigns/" + id + "/progress").statusCode()).isEqualTo(404);
        assertThat(move(other, id, "cancel").statusCode()).isEqualTo(404);
        assertThat(other.get("/console/campaigns").body()).doesNotContain("href=\"/console/campaigns/" + id + "\"");
        assertThat(progress(p, id).getString("status")).isEqualTo("RUNNING");
    }

    @Test
    void aFormWithoutFileOrWithBadTimesIsShownAgainWithTheProblem() {
        ConsoleClient p = loggedIn("sc.province");
        HttpResponse<String> noFile = p.postFile("/console/campaigns", form(p, "x"), "recipients", null, null);
        assertThat(noFile.statusCode()).isEqualTo(400);
        assertThat(noFile.body()).contains("请选择接收号码文件");
        Map<String, String> quiet = form(p, "x");
        quiet.put("quietHours", "22-7");
        assertThat(p.postFile("/console/campaigns", quiet, "recipients", "n.csv", NUMBERS.getBytes(StandardCharsets.UTF_8))
                .body()).contains("免打扰时段格式应为");
        assertThat(p.get("/console/campaigns/abc").statusCode()).isEqualTo(404);
        assertThat(p.get("/console/campaigns/999999/progress").statusCode()).isEqualTo(404);
    }
}
