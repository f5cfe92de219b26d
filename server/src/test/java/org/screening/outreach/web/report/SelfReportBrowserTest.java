package org.screening.outreach.web.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Browser;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** A person opens the SMS link on a phone-sized headless Chromium, gets told what is missing, then reports. */
@Tag("db")
@Tag("browser")
@ExtendWith(MariaDbExtension.class)
class SelfReportBrowserTest {
    static final byte[] KEY = "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8);

    @Test
    void aPersonFillsInTheFormOnAPhone(TestDb db, @TempDir Path dir) {
        try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0",
                "OUTREACH_DB_URL", db.url(), "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.resolve("data").toString(),
                "OUTREACH_DISPATCH", "off", "OUTREACH_REPORT_KEY", Base64.getEncoder().encodeToString(KEY))), Clock.systemUTC())) {
            Http http = new Http(server.port());
            String id = http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "browser").put("cases",
                    new JsonArray().add(new JsonObject().put("externalId", "B1").put("name", "王小明").put("phone", "13800001201")
                            .put("category", "红码").put("jurisdiction", "510104001001")))).json()
                    .getJsonArray("cases").getJsonObject(0).getString("id");
            String link = new ReportLinks("http://127.0.0.1:" + server.port(), KEY, Clock.systemUTC(), Duration.ofHours(1)).link(id);

            ChromeDriver browser = Browser.start(dir.resolve("profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
                browser.get(link);
                assertThat(browser.getTitle()).isEqualTo("风险人员信息报告");
                Browser.assertFitsPhone(browser, "self-report form");
                assertThat(browser.findElement(By.tagName("main")).getText()).contains("王**").contains("红码")
                        .doesNotContain("王小明");

                // A screen reader names a field by its label: "是" alone, or an unnamed text box, asks nothing.
                assertThat(browser.executeScript("var out = []; document.querySelectorAll('input').forEach(function (e) {"
                        + " var l = (e.labels && e.labels.length) ? e.labels[0].textContent.trim() : '';"
                        + " var g = e.closest('fieldset'); var q = g && g.querySelector('legend') ? g.querySelector('legend').textContent.trim() : '';"
                        + " if (e.type === 'radio' ? !(l && q) : !l) out.push(e.name + '=' + e.value); }); return out.join(' ');"))
                        .as("inputs without a label (and, for choices, a question)").isEqualTo("");
                assertThat(browser.findElement(By.cssSelector("a[href^='tel:']")).getText())
                        .as("the hotline is one tap away").isEqualTo("12320");

                // Submitted at once, nothing chosen: every missing answer is named on the first try, not one per submit.
                browser.findElement(By.cssSelector("button[type=submit]")).click();
                wait.until(d -> !d.findElements(By.id("err-identity")).isEmpty());
                for (String q : new String[] {"identity", "in_city", "travel_7d", "health_code"}) {
                    assertThat(browser.findElements(By.id("err-" + q))).as(q + " flagged").hasSize(1);
                    // A screen reader on a flagged choice hears that it is wrong and why.
                    org.openqa.selenium.WebElement choice = browser.findElement(By.cssSelector("input[name=" + q + "]"));
                    assertThat(choice.getAttribute("aria-invalid")).as(q).isEqualTo("true");
                    assertThat(choice.getAttribute("aria-describedby")).as(q).isEqualTo("err-" + q);
                }
                browser.findElement(By.cssSelector("input[name=identity][value=yes]")).click();
                browser.findElement(By.cssSelector("button[type=submit]")).click();
                wait.until(d -> d.findElements(By.id("err-identity")).isEmpty());
                assertThat(browser.findElement(By.id("err-in_city")).getText()).isEqualTo("请选择目前是否在本市");
                assertThat(browser.findElement(By.cssSelector("input[name=identity][value=yes]")).getAttribute("aria-invalid"))
                        .as("an answered question is no longer flagged").isNull();
                assertThat(browser.findElement(By.cssSelector("input[name=identity][value=yes]")).isSelected())
                        .as("what was chosen stays chosen").isTrue();

                browser.findElement(By.cssSelector("input[name=in_city][value=yes]")).click();
                browser.findElement(By.name("address")).sendKeys("玉林北路2号3栋1单元");
                browser.findElement(By.name("district")).sendKeys("武侯区");
                browser.findElement(By.cssSelector("input[name=travel_7d][value=no]")).click();
                browser.findElement(By.cssSelector("input[name=health_code][value=green]")).click();
                browser.findElement(By.cssSelector("button[type=submit]")).click();
                wait.until(d -> "提交成功".equals(d.getTitle()));
                assertThat(browser.getCurrentUrl()).as("the answer is a page of its own").isEqualTo(link + "/done");
                // Reloading the answer (or a phone restoring the tab) asks nothing and sends nothing again.
                browser.navigate().refresh();
                wait.until(d -> "提交成功".equals(d.getTitle()));
                browser.get(link);
                assertThat(browser.findElement(By.id("reported")).getText()).contains("提交过报告");
            } finally {
                browser.quit();
            }
            JsonObject c = http.get("/api/v1/cases/" + id, "t").json();
            assertThat(c.getString("status")).isEqualTo("VERIFIED");
            assertThat(c.getJsonArray("events").stream().filter(e -> "SELF_REPORT".equals(((JsonObject) e).getString("type"))))
                    .as("one report").hasSize(1);
        }
    }
}
