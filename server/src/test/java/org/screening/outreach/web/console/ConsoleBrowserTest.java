package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.support.Browser;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/**
 * A community worker on a phone-sized headless Chromium: logs in, works the list, reveals a number, records a door
 * knock, verifies and closes a case; and what they must not be able to do.
 */
@Tag("db")
@Tag("browser")
@ExtendWith(MariaDbExtension.class)
class ConsoleBrowserTest {
    static final String ADMIN = "console-browser-admin";
    static final String PASSWORD = "yulin-grid-2022";

    @Test
    void aCommunityWorkerWorksThroughTheList(TestDb db, @TempDir Path dir) throws Exception {
        try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0",
                "OUTREACH_DB_URL", db.url(), "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR",
                dir.resolve("data").toString(), "OUTREACH_DISPATCH", "off",
                // Under an hour, so the countdown shows seconds and visibly runs.
                "OUTREACH_DEADLINE_RED", "50M")), Clock.systemUTC())) {
            Http http = new Http(server.port());
            String base = "http://127.0.0.1:" + server.port();
            JsonArray pushed = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "browser").put("cases",
                    new JsonArray()
                            .add(row("C1", "王小明", "13800001201", "红码", "510104001001"))
                            .add(row("C2", "<script>alert(1)</script>李", "13800001202", "黄码", "510104001001"))
                            .add(row("C3", "张三", "13800001203", "省际漫游", "510104001001"))
                            .add(row("C4", "赵四", "13800001204", "红码", "510104001002")))).json().getJsonArray("cases");
            String red = pushed.getJsonObject(0).getString("id");
            String yellow = pushed.getJsonObject(1).getString("id");
            String roaming = pushed.getJsonObject(2).getString("id");
            String elsewhere = pushed.getJsonObject(3).getString("id");
            // Unanswered cases become door knocks the way the dispatcher hands them over.
            new JdbcAttemptQueue(db.database(), new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())))
                    .escalateNow(List.of(yellow, roaming), DoorKnockTask.NOT_REACHED, Instant.now());
            assertThat(http.postJson("/api/v1/staff", ADMIN, new JsonObject().put("username", "wang").put("password", PASSWORD)
                    .put("displayName", "王网格员").put("role", "community").put("jurisdictionPrefix", "510104001001"))
                    .status()).isEqualTo(201);

            ChromeDriver browser = Browser.start(dir.resolve("profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(base + "/console");
                assertThat(browser.getTitle()).isEqualTo("工作人员登录");
                login(browser, "wang", "not-my-password");
                assertThat(text(browser, "login-error")).isEqualTo("用户名或密码不正确。");
                login(browser, "wang", PASSWORD);
                wait.until(d -> "待办清单".equals(d.getTitle()));

                // The list: masked phones, full names as text (the staff's own community), a running countdown,
                // soonest deadline first.
                String list = browser.findElement(By.id("cases")).getText();
                assertThat(list).contains("138****1201").doesNotContain("13800001201").contains("王小明")
                        .doesNotContain("赵").contains("还剩");
                assertThat(browser.findElements(By.tagName("script"))).hasSize(1);
                List<WebElement> items = browser.findElements(By.cssSelector("li.case"));
                assertThat(items).extracting(e -> e.getAttribute("data-case")).containsExactly(red, yellow, roaming);
                WebElement countdown = items.get(0).findElement(By.className("countdown"));
                String before = countdown.getText();
                assertThat(before).matches("还剩 4\\d分\\d\\d秒");
                wait.until(d -> !countdown.getText().equals(before)); // the page's script keeps it running
                assertThat(items.get(2).findElement(By.className("countdown")).getText()).matches("还剩 2\\d小时\\d+分");
                assertThat(items.get(1).getText()).contains("敲门任务").contains("电话未联系上");
                ConsoleTestKit.screenshot(browser, "worklist.png");

                // Reveal one phone: shown in place, and the ledger says who looked.
                items.get(0).findElement(By.className("reveal-btn")).click();
                wait.until(d -> d.findElement(By.cssSelector(".phone[data-phone='" + red + "']")).getText().equals("13800001201"));
                assertThat(items.get(0).findElements(By.className("reveal-btn"))).isEmpty();
                assertThat(items.get(0).findElement(By.cssSelector(".phone a")).getAttribute("href"))
                        .as("a number shown to be called is one tap from dialling").isEqualTo("tel:13800001201");
                JsonArray events = http.get("/api/v1/cases/" + red, ADMIN).json().getJsonArray("events");
                JsonObject revealed = events.stream().map(e -> (JsonObject) e).filter(e -> e.getString("type").equals("REVEALED"))
                        .findFirst().orElseThrow();
                assertThat(revealed.getString("actor")).isEqualTo("staff:wang");
                assertThat(revealed.getJsonObject("data").getString("fields")).isEqualTo("phone");

                // Door-knock tab, then the case page of the yellow-code case with a name that is markup.
                browser.findElement(By.partialLinkText("敲门核查")).click();
                wait.until(d -> d.getCurrentUrl().contains("section=DOOR_KNOCK"));
                assertThat(browser.findElements(By.cssSelector("li.case"))).hasSize(2);
                // Bulk assignment: tick both door knocks, give them to one team leader.
                browser.findElements(By.cssSelector("input[type=checkbox][name=task]")).forEach(WebElement::click);
                browser.findElement(By.cssSelector("#bulk-assign input[name=assignee]")).sendKeys("王网格员");
                browser.findElement(By.id("assign-submit")).click();
                wait.until(d -> !d.findElements(By.id("notice")).isEmpty());
                assertThat(text(browser, "notice")).isEqualTo("已分配 2 个敲门任务。");
                assertThat(browser.findElements(By.cssSelector("li.case .task"))).extracting(WebElement::getText)
                        .allSatisfy(t -> assertThat(t).contains("负责人 王网格员"));
                browser.get(base + "/console/cases/" + yellow);
                assertThat(text(browser, "case-name")).isEqualTo("<script>alert(1)</script>李");
                assertThat(text(browser, "case-status")).isEqualTo("待敲门核查");
                assertThat(browser.findElement(By.id("timeline")).getText()).contains("接收").contains("敲门任务已创建")
                        .contains("敲门任务已分配").contains("负责人: 王网格员")
                        .contains("状态变更").contains("原状态: 新接收");

                // Closing before verification is refused with a reason on the page.
                submit(browser, "close-form", Map.of("reason", "核实无误"));
                wait.until(d -> !d.findElements(By.id("error")).isEmpty());
                assertThat(text(browser, "error")).isEqualTo("只有已核实的对象才能销号，请先核实。");
                assertThat(text(browser, "case-status")).isEqualTo("待敲门核查");

                browser.findElement(By.cssSelector("#verify-form")).findElement(By.xpath("..")).findElement(By.tagName("summary")).click();
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#verify-form select[name=method]")))
                        .selectByValue("door_knock");
                browser.findElement(By.id("verify-submit")).click();
                wait.until(d -> !d.findElements(By.id("notice")).isEmpty());
                assertThat(text(browser, "notice")).isEqualTo("已标记为已核实。");
                assertThat(text(browser, "case-status")).isEqualTo("已核实");

                submit(browser, "close-form", Map.of("reason", "核实无误，居家健康监测"));
                wait.until(d -> !d.findElements(By.id("notice")).isEmpty() && text(d, "notice").equals("已销号。"));
                assertThat(text(browser, "case-status")).isEqualTo("已销号");
                assertThat(browser.findElements(By.id("case-countdown"))).as("a closed case is not counted down").isEmpty();
                ConsoleTestKit.screenshot(browser, "case-closed.png");
                assertThat(browser.findElement(By.id("timeline")).getText()).contains("原因: 核实无误，居家健康监测")
                        .contains("工作人员 wang");
                assertThat(http.get("/api/v1/cases/" + yellow, ADMIN).json().getString("status")).isEqualTo("CLOSED");

                // The other door knock: the 3-person team found the person.
                browser.get(base + "/console/cases/" + roaming);
                new org.openqa.selenium.support.ui.Select(browser.findElement(By.cssSelector("#door-knock-form select[name=outcome]")))
                        .selectByValue("FOUND_VERIFIED");
                submit(browser, "door-knock-form", Map.of("cadre", "", "healthWorker", "张医生", "police", "赵警官"));
                wait.until(d -> !d.findElements(By.id("err-cadre")).isEmpty());
                assertThat(text(browser, "err-cadre")).contains("社区干部");
                submit(browser, "door-knock-form", Map.of("cadre", "李书记", "healthWorker", "张医生", "police", "赵警官"));
                wait.until(d -> !d.findElements(By.id("notice")).isEmpty());
                assertThat(text(browser, "case-status")).isEqualTo("已核实");
                assertThat(browser.findElement(By.id("timeline")).getText()).contains("敲门结果")
                        .contains("结果: 找到本人，核实无误").contains("社区干部: 李书记");

                // A closed case leaves the list.
                browser.get(base + "/console");
                assertThat(browser.findElements(By.cssSelector("li.case"))).extracting(e -> e.getAttribute("data-case"))
                        .containsExactly(red, roaming);

                // A forged post without the CSRF token, from the logged-in browser: 403 page, nothing changes.
                browser.executeScript("var f = document.createElement('form'); f.method = 'post';"
                        + "f.action = '/console/cases/" + roaming + "/close';"
                        + "var i = document.createElement('input'); i.name = 'reason'; i.value = 'forged'; f.appendChild(i);"
                        + "document.body.appendChild(f); f.submit();");
                wait.until(d -> !d.findElements(By.id("message-title")).isEmpty());
                assertThat(text(browser, "message-title")).isEqualTo("请求被拒绝（403）");
                assertThat(http.get("/api/v1/cases/" + roaming, ADMIN).json().getString("status")).isEqualTo("VERIFIED");

                // Another community's case is not for this account.
                browser.get(base + "/console/cases/" + elsewhere);
                assertThat(text(browser, "message-title")).isEqualTo("无权访问（403）");
                assertThat(browser.getPageSource()).doesNotContain("赵");

                // The dashboard: today's figures for the community, and the chart the server draws (3 bars a day).
                browser.get(base + "/console/dashboard");
                assertThat(browser.getTitle()).isEqualTo("时限看板");
                List<String> total = browser.findElements(By.cssSelector("#daily tr.total td")).stream()
                        .map(WebElement::getText).toList();
                assertThat(total.get(0)).isEqualTo("合计");
                assertThat(total.get(1)).as("received").isEqualTo("3");
                assertThat(total.get(4)).as("door knocks").isEqualTo("2");
                assertThat(total.get(5)).as("overdue").isEqualTo("0");
                List<WebElement> bars = browser.findElements(By.cssSelector("#trend rect"));
                assertThat(bars).hasSize(14 * 3);
                assertThat(Double.parseDouble(bars.get(13 * 3).getAttribute("height"))).as("today's received bar")
                        .isGreaterThan(0);
                assertThat(bars.get(13 * 3).getSize().getHeight()).as("drawn, not blocked by the page's CSP").isPositive();
                assertThat(browser.findElement(By.id("no-breaches")).getText()).isEqualTo("没有超时未联系的对象。");
                ConsoleTestKit.screenshot(browser, "dashboard.png");

                // An admin disables wang's account and gives it a new password from the staff page.
                assertThat(http.postJson("/api/v1/staff", ADMIN, new JsonObject().put("username", "li").put("password", PASSWORD)
                        .put("displayName", "李管理员").put("role", "county").put("jurisdictionPrefix", "510104")
                        .put("admin", true)).status()).isEqualTo(201);
                browser.findElement(By.id("logout")).click();
                wait.until(d -> "工作人员登录".equals(d.getTitle()));
                login(browser, "li", PASSWORD);
                wait.until(d -> "待办清单".equals(d.getTitle()));
                browser.get(base + "/console/admin/staff");
                browser.findElement(By.cssSelector("tr[data-account='wang'] .disable-btn")).click();
                wait.until(d -> !d.findElements(By.id("notice")).isEmpty());
                assertThat(text(browser, "notice")).isEqualTo("账号 wang 已停用，其登录已全部失效。");
                WebElement wangRow = browser.findElement(By.cssSelector("tr[data-account='wang']"));
                assertThat(wangRow.getText()).contains("(已停用)");
                assertThat(browser.findElements(By.cssSelector("tr[data-account='li'] .disable-btn")))
                        .as("no disable button on one's own account").isEmpty();
                wangRow.findElement(By.name("password")).sendKeys("wang-new-2022");
                wangRow.findElement(By.className("password-btn")).click();
                wait.until(d -> text(d, "notice").contains("密码已重设"));
                ConsoleTestKit.screenshot(browser, "staff-admin.png");

                // English on request, remembered.
                browser.get(base + "/console?lang=en");
                assertThat(browser.getTitle()).isEqualTo("Work list");
                browser.get(base + "/console/cases/" + red);
                assertThat(text(browser, "case-status")).isEqualTo("New");
                ConsoleTestKit.screenshot(browser, "case-en.png");
            } catch (AssertionError | RuntimeException e) {
                // What the browser showed when it failed, for whoever reads the report.
                Path out = Path.of("target", "console-browser-failure");
                Files.createDirectories(out);
                Files.write(out.resolve("page.png"), browser.getScreenshotAs(OutputType.BYTES));
                Files.writeString(out.resolve("page.html"), browser.getPageSource());
                throw e;
            } finally {
                browser.quit();
            }
        }
    }

    private static JsonObject row(String externalId, String name, String phone, String category, String jurisdiction) {
        return new JsonObject().put("externalId", externalId).put("name", name).put("phone", phone)
                .put("category", category).put("jurisdiction", jurisdiction);
    }


    private static void login(ChromeDriver browser, String username, String password) {
        WebElement user = browser.findElement(By.name("username"));
        user.clear();
        user.sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
    }

    /** Opens the form's section, fills the named fields and submits it. */
    private static void submit(ChromeDriver browser, String formId, Map<String, String> fields) {
        WebElement form = browser.findElement(By.id(formId));
        WebElement details = form.findElement(By.xpath(".."));
        if (details.getAttribute("open") == null) details.findElement(By.tagName("summary")).click();
        fields.forEach((name, value) -> {
            WebElement input = form.findElement(By.name(name));
            input.clear();
            input.sendKeys(value);
        });
        form.findElement(By.cssSelector("button[type=submit]")).click();
    }

    /**
     * The element's text once the page showing it has loaded (a form post's answer may still be on its way). The
     * text is read inside the wait: the element found may belong to the page being replaced, and Chrome then
     * answers "does not belong to the document" rather than a stale-element error.
     */
    private static String text(org.openqa.selenium.WebDriver browser, String id) {
        return new WebDriverWait(browser, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.WebDriverException.class).until(d -> d.findElement(By.id(id)).getText());
    }
}
