package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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
import org.openqa.selenium.support.ui.WebDriverWait;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.support.Browser;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** A community worker uploads a case file on /console/import in headless Chromium and reads the rejected rows. */
@Tag("db")
@Tag("browser")
@ExtendWith(MariaDbExtension.class)
class ConsoleImportBrowserTest {
    static final String ADMIN = "console-import-browser-admin";
    static final String PASSWORD = "yulin-import-2022";

    @Test
    void anUploadShowsItsCountsAndRejectedRowsInPlace(TestDb db, @TempDir Path dir) throws Exception {
        try (OutreachServer server = ConsoleTestKit.start(db, dir, ADMIN, Clock.systemUTC(),
                Map.of("OUTREACH_DISPATCH", "off"))) {
            ConsoleTestKit.staff(new Http(server.port()), ADMIN, "li", PASSWORD, "community", "510104001001");
            Path csv = dir.resolve("名单.csv");
            Files.writeString(csv, "外部编号,姓名,手机号码,证件号码,风险类别,所属社区,推送时间\n"
                    + "B1,<script>alert(1)</script>周,13800003001,,红码,510104001001,\n"
                    + "B2,吴九,13800003002,,紫码,510104001001,\n"
                    + "B3,郑十,13800003003,,黄码,510104001009,\n", StandardCharsets.UTF_8);

            ChromeDriver browser = Browser.start(dir.resolve("profile"));
            ConsoleTestKit.keepingFailures(browser, "import", () -> {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                wait.ignoring(StaleElementReferenceException.class);
                ConsoleTestKit.login(browser, server, "li", PASSWORD);
                browser.findElement(By.id("nav-import")).click();
                wait.until(d -> "导入排查名单".equals(d.getTitle()));

                // A marker on this page: it survives only if the result comes in place (the script's upload).
                browser.executeScript("window.importMarker = 'still here';");
                // What the progress bar shows during the upload, recorded as it changes (the result replaces it).
                browser.executeScript("window.barSeen = []; var bar = document.getElementById('import-progress');"
                        + "new MutationObserver(function () { window.barSeen.push((bar.hidden ? 'hidden' : 'shown') + ':'"
                        + " + (bar.hasAttribute('value') ? bar.getAttribute('value') : 'processing')); })"
                        + ".observe(bar, {attributes: true});");
                browser.findElement(By.id("import-file")).sendKeys(csv.toString());
                browser.findElement(By.id("import-submit")).click();
                wait.until(d -> !d.findElements(By.id("import-errors")).isEmpty());
                assertThat(browser.executeScript("return window.importMarker;")).isEqualTo("still here");
                @SuppressWarnings("unchecked")
                List<String> bar = (List<String>) browser.executeScript("return window.barSeen;");
                assertThat(bar).as("the bar showed the upload, then the rows being processed")
                        .contains("shown:100", "shown:processing");

                assertThat(browser.findElement(By.id("count-accepted")).getText()).isEqualTo("1");
                assertThat(browser.findElement(By.id("count-rejected")).getText()).isEqualTo("2");
                List<String> rows = browser.findElements(By.cssSelector("#import-errors tbody tr")).stream()
                        .map(r -> r.findElement(By.className("row")).getText() + " " + r.findElement(By.className("field")).getText())
                        .toList();
                assertThat(rows).containsExactly("2 风险类别", "3 所属社区");
                WebElement name = browser.findElement(By.cssSelector("#import-rows td.name"));
                assertThat(name.getText()).startsWith("<").doesNotContain("alert");
                assertThat(browser.findElements(By.tagName("script"))).as("the name did not become a script").hasSize(1);
                ConsoleTestKit.screenshot(browser, "import-result.png");
            });
        }
    }
}
