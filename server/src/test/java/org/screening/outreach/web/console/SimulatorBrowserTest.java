package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Browser;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** An admin on a phone-sized headless Chromium places a practice call and answers it on the keypad. */
@Tag("db")
@Tag("browser")
@ExtendWith(MariaDbExtension.class)
class SimulatorBrowserTest {
    static final String ADMIN = "simulator-browser-admin";
    static final String PASSWORD = "keypad-browser-2022";

    @Test
    void anAdminAnswersAPracticeCallOnTheKeypad(TestDb db, @TempDir Path dir) {
        try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0",
                "OUTREACH_DB_URL", db.url(), "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR",
                dir.resolve("data").toString(), "OUTREACH_DISPATCH", "off")), Clock.systemUTC())) {
            Http http = new Http(server.port());
            assertThat(http.postJson("/api/v1/staff", ADMIN, new JsonObject().put("username", "lead").put("password", PASSWORD)
                    .put("displayName", "李组长").put("role", "county").put("jurisdictionPrefix", "510104")
                    .put("admin", true)).status()).isEqualTo(201);
            String base = "http://127.0.0.1:" + server.port();

            ChromeDriver browser = Browser.start(dir.resolve("profile"));
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
                wait.ignoring(StaleElementReferenceException.class);
                browser.get(base + "/console/simulator");
                browser.findElement(By.name("username")).sendKeys("lead");
                browser.findElement(By.name("password")).sendKeys(PASSWORD);
                browser.findElement(By.id("login-submit")).click();
                wait.until(d -> "电话模拟".equals(d.getTitle()));
                Browser.assertFitsPhone(browser, "simulator");

                browser.findElement(By.id("sim-dial")).click();
                wait.until(d -> !d.findElements(By.id("sim-keypad")).isEmpty());
                assertThat(text(browser, "sim-lines")).contains("您好，这里是模拟社区排查专班").contains("您是这个手机号码的使用人吗");

                click(browser, wait, "sim-silence");
                assertThat(text(browser, "sim-lines")).contains("（您没有按键）").contains("没有听到按键，请再听一遍。");
                click(browser, wait, "key-1");
                assertThat(text(browser, "sim-lines")).endsWith("您现在在本市吗？在，请按1；不在，请按2。");
                click(browser, wait, "key-1");
                click(browser, wait, "key-2");
                assertThat(text(browser, "sim-lines")).contains("健康码是什么颜色");
                click(browser, wait, "key-1");
                wait.until(d -> !d.findElements(By.id("sim-result")).isEmpty());

                assertThat(text(browser, "sim-lines")).contains("谢谢配合。稍后您会收到一条短信");
                assertThat(browser.findElements(By.id("sim-keypad"))).isEmpty();
                assertThat(text(browser, "sim-answers")).contains("identity yes 1").contains("health_code green 1");
                assertThat(text(browser, "sim-identity")).isEqualTo("本人使用");
                assertThat(text(browser, "sim-followUps")).isEqualTo("标记为已联系上；电话核实完成");
                assertThat(text(browser, "sim-flags")).isEqualTo("无");
                assertThat(browser.findElements(By.tagName("script"))).hasSize(1);

                browser.findElement(By.id("sim-reset")).click();
                wait.until(d -> d.findElements(By.id("sim-lines")).isEmpty());
            } finally {
                browser.quit();
            }
        }
    }

    /** Clicks a keypad button and waits for the page the post redirects to: one line more in the transcript. */
    private static void click(ChromeDriver browser, WebDriverWait wait, String id) {
        int before = browser.findElements(By.cssSelector("#sim-lines li")).size();
        browser.findElement(By.id(id)).click();
        wait.until(d -> d.findElements(By.cssSelector("#sim-lines li")).size() > before);
    }

    private static String text(ChromeDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }
}
