package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.support.Browser;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * The province office in headless Chromium: previews a campaign, creates it with a recipients file inside its quiet
 * hours, and watches the figures move on the open page once the (test) clock leaves them and the simulated SMS
 * channel sends.
 */
@Tag("db")
@Tag("browser")
@ExtendWith(MariaDbExtension.class)
class ConsoleCampaignsBrowserTest {
    static final String ADMIN = "console-campaigns-browser-admin";
    static final String PASSWORD = "province-office-2022";
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    @Test
    void theCampaignPageFollowsTheSendingWithoutReloading(TestDb db, @TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (OutreachServer server = ConsoleTestKit.start(db, dir, ADMIN, clock,
                Map.of("OUTREACH_QUIET_HOURS", "00:00-00:00"))) {
            ConsoleTestKit.staff(new Http(server.port()), ADMIN, "sheng", PASSWORD, "province", "51");
            Path numbers = dir.resolve("numbers.csv");
            Files.writeString(numbers, "手机号码\n13800138101\n13800138102\n13800138103\n", StandardCharsets.UTF_8);
            // Quiet hours around the test clock's local time: created now, the campaign waits until the clock moves.
            LocalTime local = LocalTime.ofInstant(clock.instant(), ZONE);
            DateTimeFormatter hm = DateTimeFormatter.ofPattern("HH:mm");
            String quiet = local.minusHours(1).format(hm) + "-" + local.plusHours(1).format(hm);

            ChromeDriver browser = Browser.start(dir.resolve("profile"));
            ConsoleTestKit.keepingFailures(browser, "campaign", () -> {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                wait.ignoring(StaleElementReferenceException.class);
                ConsoleTestKit.login(browser, server, "sheng", PASSWORD);
                browser.findElement(By.id("nav-campaigns")).click();
                wait.until(d -> "群发短信".equals(d.getTitle()));

                type(browser, "name", "核酸检测通知");
                type(browser, "var.sender", "四川省疫情防控指挥部");
                type(browser, "var.text", "今日全员核酸检测。");
                browser.findElement(By.id("campaign-preview")).click();
                wait.until(d -> !d.findElements(By.id("preview-figures")).isEmpty());
                assertThat(browser.findElement(By.id("preview-text")).getText()).startsWith("【四川省疫情防控指挥部】今日全员核酸检测。");
                assertThat(browser.findElement(By.id("preview-figures")).getText()).contains("按 1 条短信计费");

                browser.findElement(By.id("campaign-file")).sendKeys(numbers.toString());
                type(browser, "quietHours", quiet);
                browser.findElement(By.id("campaign-create")).click();
                wait.until(d -> !d.findElements(By.id("campaign-progress")).isEmpty());
                assertThat(text(browser, "notice")).isEqualTo("群发任务已创建。");
                assertThat(text(browser, "fig-queued")).isEqualTo("3");
                assertThat(text(browser, "fig-delivered")).isEqualTo("0");
                assertThat(text(browser, "campaign-status")).isEqualTo("发送中");

                browser.executeScript("window.campaignMarker = 'same page';");
                clock.advance(Duration.ofMinutes(90));
                wait.until(d -> Integer.parseInt(text(d, "fig-delivered")) + Integer.parseInt(text(d, "fig-failed")) == 3);
                wait.until(d -> text(d, "campaign-status").equals("已完成"));
                assertThat(text(browser, "fig-queued")).isEqualTo("0");
                // Texts the provider has not taken yet are their own figure (during a Twilio outage they are not "sent").
                assertThat(text(browser, "fig-sending")).isEqualTo("0");
                assertThat(text(browser, "fig-sent")).isEqualTo("0");
                assertThat(text(browser, "fig-percent")).isEqualTo("100.0");
                assertThat(browser.findElement(By.id("campaign-bar")).getAttribute("value")).isEqualTo("100");
                assertThat(browser.executeScript("return window.campaignMarker;")).as("not reloaded").isEqualTo("same page");
                assertThat(browser.findElement(By.id("campaign-moves")).isDisplayed()).as("a finished campaign has no buttons")
                        .isFalse();
                ConsoleTestKit.screenshot(browser, "campaign-done.png");
            });
        }
    }

    private static void type(ChromeDriver browser, String name, String value) {
        WebElement input = browser.findElement(By.name(name));
        input.clear();
        input.sendKeys(value);
    }

    private static String text(org.openqa.selenium.WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }
}
