package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/**
 * Working through a filtered, paged work list over real HTTP: what staff do from it (bulk assignment, a case's
 * actions) brings them back to the same tab, filters and page.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class ConsoleWorkListHttpTest {
    static final String ADMIN = "console-worklist-admin";
    static final String PASSWORD = "wuhou-grid-2022";
    static final String YELLOW_PAGE_2 = "/console?section=DOOR_KNOCK&category=YELLOW&page=2";
    @TempDir
    static Path dir;
    static OutreachServer server;
    static String firstCase;
    static String foreignCase;

    @BeforeAll
    static void start(TestDb db) {
        // Chengdu's deployment: a person pushed here from elsewhere is readable by its city accounts, not theirs.
        server = ConsoleTestKit.start(db, dir, ADMIN, Clock.systemUTC(), Map.of("OUTREACH_DISPATCH", "off",
                "OUTREACH_JURISDICTION", "5101"));
        Http http = new Http(server.port());
        JsonArray rows = new JsonArray();
        // 25 yellow door knocks: a second page of 5 under the yellow filter; 2 red ones the filter leaves out.
        for (int i = 0; i < 27; i++) {
            rows.add(new JsonObject().put("externalId", "W" + i).put("name", "孙" + i).put("phone", "138000015" + (10 + i))
                    .put("category", i < 25 ? "黄码" : "红码").put("jurisdiction", "510104001001"));
        }
        List<String> ids = new ArrayList<>();
        http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "worklist").put("cases", rows)).json()
                .getJsonArray("cases").forEach(c -> ids.add(((JsonObject) c).getString("id")));
        firstCase = ids.get(0);
        new JdbcAttemptQueue(db.database(), new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())))
                .escalateNow(ids, DoorKnockTask.NOT_REACHED, Instant.now());
        ConsoleTestKit.staff(http, ADMIN, "sun", PASSWORD, "community", "510104001001");
        ConsoleTestKit.staff(http, ADMIN, "city", PASSWORD, "city", "5101");
        foreignCase = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "worklist").put("cases",
                new JsonArray().add(new JsonObject().put("externalId", "F1").put("name", "欧阳修").put("phone", "13800001599")
                        .put("category", "黄码").put("jurisdiction", "500103001001")))).json().getJsonArray("cases")
                .getJsonObject(0).getString("id");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop();
    }

    @Test
    void aBulkAssignmentReturnsToTheFilteredPageItWasMadeOn() {
        ConsoleClient browser = ConsoleTestKit.loggedIn(server, "sun", PASSWORD);
        String page = browser.get(YELLOW_PAGE_2).body();
        Map<String, String> form = new LinkedHashMap<>();
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")
                .matcher(page.substring(page.indexOf("id=\"bulk-assign\"")));
        while (hidden.find()) form.put(hidden.group(1), hidden.group(2));
        Matcher task = Pattern.compile("name=\"task\" value=\"(\\d+)\"").matcher(page);
        assertThat(task.find()).as("page 2 lists door-knock tasks").isTrue();
        form.put("task", task.group(1));
        form.put("assignee", "孙组长");

        HttpResponse<String> done = browser.post("/console/door-knocks/assign", form);

        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).hasValue(YELLOW_PAGE_2 + "&assigned=1&of=1");
        assertThat(browser.get(YELLOW_PAGE_2 + "&assigned=1&of=1").body()).contains("已分配 1 个敲门任务。");
    }

    @Test
    void theCasePageLeadsBackToTheListAsLastShownEvenAfterARefusedForm() {
        ConsoleClient browser = ConsoleTestKit.loggedIn(server, "sun", PASSWORD);
        assertThat(browser.get("/console/cases/" + firstCase).body()).as("straight to a case: back to the start")
                .contains("<a href=\"/console?section=ALL\" id=\"back\">");

        browser.get(YELLOW_PAGE_2);
        String casePage = browser.get("/console/cases/" + firstCase).body();
        String back = "<a href=\"/console?section=DOOR_KNOCK&amp;category=YELLOW&amp;page=2\" id=\"back\">";
        assertThat(casePage).contains(back);
        HttpResponse<String> refused = browser.post("/console/cases/" + firstCase + "/close",
                Map.of("csrf", ConsoleClient.csrf(casePage), "reason", ""));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains(back);
    }

    @Test
    void namesAreShownInFullOnlyOnTheStaffsOwnCases() {
        ConsoleClient city = ConsoleTestKit.loggedIn(server, "city", PASSWORD);
        HttpResponse<String> own = city.get("/console/cases/" + firstCase);
        assertThat(own.body()).contains("<h1 id=\"case-name\">孙0</h1>");
        HttpResponse<String> foreign = city.get("/console/cases/" + foreignCase);
        assertThat(foreign.statusCode()).as("pushed here from Chongqing: readable by the city").isEqualTo(200);
        assertThat(foreign.body()).as("but not theirs to knock on").contains("<h1 id=\"case-name\">欧**</h1>")
                .doesNotContain("欧阳修");
    }

    /** A tab offers only the statuses it can list, and a status filter does not follow to a tab that never lists it. */
    @Test
    void theStatusFilterOffersWhatTheTabCanShow() {
        ConsoleClient browser = ConsoleTestKit.loggedIn(server, "sun", PASSWORD);
        assertThat(statusSelect(browser.get("/console?section=UNANSWERED").body())).contains("value=\"NEW\"", "value=\"CONTACTING\"")
                .doesNotContain("value=\"CLOSED\"", "value=\"DOOR_KNOCK\"", "value=\"TRANSFERRED\"");
        String knocks = browser.get("/console?section=DOOR_KNOCK&status=DOOR_KNOCK").body();
        assertThat(knocks).contains("孙1").contains("<a href=\"/console?section=UNANSWERED\" class=\"tab")
                .contains("<a href=\"/console?section=ALL&amp;status=DOOR_KNOCK\" class=\"tab");
        assertThat(statusSelect(browser.get("/console?section=UNANSWERED&status=DOOR_KNOCK").body()))
                .as("a hand-edited link: the status is dropped, not applied").doesNotContain("selected");
    }

    private static String statusSelect(String page) {
        String select = page.substring(page.indexOf("<select name=\"status\""));
        return select.substring(0, select.indexOf("</select>"));
    }

    @Test
    void aCommunityCodeTypedInFullWidthDigitsFilters() {
        ConsoleClient browser = ConsoleTestKit.loggedIn(server, "city", PASSWORD);
        String list = browser.get("/console?section=DOOR_KNOCK&category=RED&community="
                + java.net.URLEncoder.encode("５１０１０４００１００１", java.nio.charset.StandardCharsets.UTF_8)).body();
        assertThat(list).doesNotContain("role=\"alert\"").contains("孙25").contains("孙26")
                .contains("name=\"community\" value=\"510104001001\"");
    }

    @Test
    void aPageLeftEmptyLeadsToTheFirstPageNotToNothingToDo() {
        ConsoleClient browser = ConsoleTestKit.loggedIn(server, "sun", PASSWORD);
        HttpResponse<String> empty = browser.get("/console?section=DOOR_KNOCK&category=YELLOW&page=3");
        assertThat(empty.statusCode()).isEqualTo(303);
        assertThat(empty.headers().firstValue("Location")).hasValue("/console?section=DOOR_KNOCK&category=YELLOW");
        assertThat(browser.get("/console?section=DOOR_KNOCK&category=ROAMING").body()).as("nothing at all: said so")
                .contains("id=\"empty\"");
    }

    @Test
    void theLanguageLinkKeepsTheListsTabFiltersAndPage() {
        ConsoleClient browser = ConsoleTestKit.loggedIn(server, "sun", PASSWORD);
        assertThat(browser.get(YELLOW_PAGE_2 + "&assigned=1&of=1").body()).as("not the notice, which was shown once")
                .contains("id=\"lang-switch\" href=\"/console?section=DOOR_KNOCK&amp;category=YELLOW&amp;page=2&amp;lang=en\"");
        String english = browser.get("/console?section=DOOR_KNOCK&category=YELLOW&page=2&lang=en").body();
        assertThat(english).contains("Work list")
                .contains("id=\"lang-switch\" href=\"/console?section=DOOR_KNOCK&amp;category=YELLOW&amp;page=2&amp;lang=zh\"");
    }

    @Test
    void aRememberedListIsReadAgainNeverEchoed() {
        ConsoleClient browser = ConsoleTestKit.loggedIn(server, "sun", PASSWORD);
        URI console = URI.create("http://127.0.0.1:" + server.port() + "/console");
        for (String forged : List.of("/console?section=door_knock&community=\"><script>x</script>&evil=1",
                "javascript:alert(1)")) {
            HttpCookie cookie = new HttpCookie(ConsolePages.LIST_COOKIE, forged);
            cookie.setPath("/console");
            browser.cookies.getCookieStore().add(console, cookie);
            String page = browser.get("/console/cases/" + firstCase).body();
            assertThat(page).doesNotContain("<script>x").doesNotContain("javascript:").doesNotContain("evil");
            assertThat(page).containsPattern("<a href=\"/console\\?section=(DOOR_KNOCK&amp;community=[^\"]*|ALL)\" id=\"back\">");
        }
    }
}
