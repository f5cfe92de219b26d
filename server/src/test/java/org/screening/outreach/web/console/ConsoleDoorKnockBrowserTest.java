package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.FirstCheck;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.store.JdbcCaseUpdates;
import org.screening.outreach.store.JdbcSelfReports;
import org.screening.outreach.support.Browser;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/**
 * A community worker about to knock on a door, on a phone-sized headless Chromium: they see whom to look for (full
 * name, the address the person reported) while the phone stays masked, and a door-knock result with answers missing
 * comes back with each error beside its field and what they typed kept.
 */
@Tag("db")
@Tag("browser")
@ExtendWith(MariaDbExtension.class)
class ConsoleDoorKnockBrowserTest {
    static final String ADMIN = "console-knock-admin";
    static final String PASSWORD = "jinjiang-grid-2022";
    static final String ID = org.screening.outreach.support.IdNumbers.valid("51010419900101123");

    @Test
    void aWorkerSeesWhomToFindAndMendsAnIncompleteDoorKnockForm(TestDb db, @TempDir Path dir) throws Exception {
        try (OutreachServer server = ConsoleTestKit.start(db, dir, ADMIN, Clock.systemUTC(), Map.of("OUTREACH_DISPATCH", "off"))) {
            Http http = new Http(server.port());
            String base = "http://127.0.0.1:" + server.port();
            JsonArray pushed = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "knock").put("cases",
                    new JsonArray()
                            .add(row("K1", "欧阳娜娜", "13800002101", "黄码"))
                            .add(row("K2", "司马光", "13800002102", "红码").put("idNumber", ID)))).json().getJsonArray("cases");
            String knock = pushed.getJsonObject(0).getString("id");
            String reported = pushed.getJsonObject(1).getString("id");
            // 司马光 answered the link: in the city, at this address (a phone number typed into it stays masked).
            new JdbcSelfReports(new JdbcCaseLedger(db.database()), new JdbcCaseUpdates(db.database()),
                    new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())))
                    .record(reported, Map.of(FirstCheck.IDENTITY, "yes", FirstCheck.IN_CITY, "yes", "district", "锦江区",
                            "address", "春熙路8号3栋2单元401 电话13900002222", FirstCheck.TRAVEL_7D, "no",
                            FirstCheck.HEALTH_CODE, "red"), Instant.now());
            new JdbcAttemptQueue(db.database(), new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())))
                    .escalateNow(List.of(knock), DoorKnockTask.NOT_REACHED, Instant.now());
            ConsoleTestKit.staff(http, ADMIN, "ouyang", PASSWORD, "community", "510104001001");

            ChromeDriver browser = Browser.start(dir.resolve("profile"));
            ConsoleTestKit.keepingFailures(browser, "door-knock", () -> {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
                wait.ignoring(StaleElementReferenceException.class);
                ConsoleTestKit.login(browser, server, "ouyang", PASSWORD);

                // The list names the people of the worker's own community in full; phones stay masked.
                String list = browser.findElement(By.id("cases")).getText();
                assertThat(list).contains("欧阳娜娜").contains("司马光").contains("138****2101")
                        .doesNotContain("13800002101");
                assertThat(browser.findElement(By.cssSelector("li.case[data-case='" + reported + "'] .address")).getText())
                        .as("where to knock, on the list too").isEqualTo("自报住址 锦江区 春熙路8号3栋2单元401 电话*******2222");
                assertThat(browser.findElements(By.cssSelector("li.case[data-case='" + knock + "'] .address"))).isEmpty();

                // The case page says whom to look for and where they said they live.
                browser.get(base + "/console/cases/" + reported);
                assertThat(browser.findElement(By.id("case-name")).getText()).isEqualTo("司马光");
                assertThat(browser.findElement(By.id("case-address")).getText())
                        .startsWith("自报住址 锦江区 春熙路8号3栋2单元401").contains("自报").doesNotContain("13900002222");
                assertThat(browser.findElement(By.id("case-id-number")).getText()).as("masked, as the API shows it")
                        .isEqualTo("证件号 " + ID.substring(0, 6) + "********" + ID.substring(14));
                assertThat(browser.getPageSource()).doesNotContain("13800002102").doesNotContain(ID);
                ConsoleTestKit.screenshot(browser, "case-address.png");

                // A door knock: no outcome chosen, two of the team left out, a note typed.
                browser.get(base + "/console/cases/" + knock);
                assertThat(browser.findElements(By.id("case-address"))).as("no self-report, no address line").isEmpty();
                assertThat(browser.findElements(By.id("case-id-number"))).as("no ID number pushed").isEmpty();
                WebElement form = browser.findElement(By.id("door-knock-form"));
                assertThat(new Select(form.findElement(By.name("outcome"))).getFirstSelectedOption().getAttribute("value"))
                        .as("no outcome is chosen for the team").isEmpty();
                form.findElement(By.name("healthWorker")).sendKeys("张医生");
                form.findElement(By.name("knockNote")).sendKeys("敲门两次无人应答");
                form.findElement(By.id("door-knock-submit")).click();
                wait.until(d -> !d.findElements(By.id("err-outcome")).isEmpty());

                assertThat(browser.findElement(By.id("error")).getText()).isEqualTo("请按提示修改后再提交。");
                form = browser.findElement(By.id("door-knock-form"));
                for (Map.Entry<String, String> e : Map.of("outcome", "请选择敲门结果。", "cadre", "请填写社区干部姓名（50字以内）。",
                        "police", "请填写社区民警姓名（50字以内）。").entrySet()) {
                    WebElement field = form.findElement(By.name(e.getKey()));
                    assertThat(field.getAttribute("aria-invalid")).as(e.getKey()).isEqualTo("true");
                    assertThat(field.getAttribute("aria-describedby")).as(e.getKey()).isEqualTo("err-" + e.getKey());
                    WebElement message = form.findElement(By.id("err-" + e.getKey()));
                    assertThat(message.getText()).isEqualTo(e.getValue());
                    assertThat(message.getLocation().getY()).as("%s's error sits just under it", e.getKey())
                            .isBetween(field.getLocation().getY(), field.getLocation().getY() + 90);
                }
                WebElement health = form.findElement(By.name("healthWorker"));
                assertThat(health.getAttribute("aria-invalid")).isNull();
                assertThat(form.findElements(By.id("err-healthWorker"))).isEmpty();
                assertThat(health.getAttribute("value")).isEqualTo("张医生");
                assertThat(form.findElement(By.name("knockNote")).getAttribute("value")).isEqualTo("敲门两次无人应答");
                assertThat(browser.findElement(By.id("verify-form")).findElement(By.name("note")).getAttribute("value"))
                        .as("the door knock's note is not put into the verify form").isEmpty();
                assertThat(browser.switchTo().activeElement().getAttribute("name")).as("the first to mend has the focus")
                        .isEqualTo("outcome");
                ConsoleTestKit.screenshot(browser, "door-knock-errors.png");

                // Mended: the result is recorded with the note typed the first time.
                new Select(form.findElement(By.name("outcome"))).selectByValue("NOT_AT_HOME");
                form.findElement(By.name("cadre")).sendKeys("李书记");
                form.findElement(By.name("police")).sendKeys("赵警官");
                form.findElement(By.id("door-knock-submit")).click();
                wait.until(d -> !d.findElements(By.id("notice")).isEmpty());
                assertThat(browser.findElement(By.id("timeline")).getText()).contains("结果: 不在家（需再次上门）")
                        .contains("社区医务人员: 张医生").contains("敲门两次无人应答");
            });
        }
    }

    private static JsonObject row(String externalId, String name, String phone, String category) {
        return new JsonObject().put("externalId", externalId).put("name", name).put("phone", phone)
                .put("category", category).put("jurisdiction", "510104001001");
    }
}
