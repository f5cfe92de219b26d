package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** What the import and campaign console tests share: a server, staff accounts, a login, and failure evidence. */
final class ConsoleTestKit {
    private ConsoleTestKit() {}

    /** A server on a free port with this admin token, its data under {@code dir}; {@code env} adds or overrides. */
    static OutreachServer start(TestDb db, Path dir, String adminToken, Clock clock, Map<String, String> env) {
        Map<String, String> all = new HashMap<>(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", adminToken, "OUTREACH_DATA_DIR", dir.resolve("data").toString()));
        all.putAll(env);
        return OutreachServer.start(ConfigLoader.fromMap(all), clock);
    }

    /** Creates a staff account through the API (the admin token's way). */
    static void staff(Http http, String adminToken, String username, String password, String role, String prefix) {
        assertThat(http.postJson("/api/v1/staff", adminToken, new JsonObject().put("username", username)
                .put("password", password).put("displayName", "专班").put("role", role).put("jurisdictionPrefix", prefix))
                .status()).isEqualTo(201);
    }

    static ConsoleClient loggedIn(OutreachServer server, String username, String password) {
        ConsoleClient c = new ConsoleClient(server.port());
        assertThat(c.login(username, password).statusCode()).isEqualTo(303);
        return c;
    }

    /** Logs in through the browser's login page and waits for the work list. */
    static void login(ChromeDriver browser, OutreachServer server, String username, String password) {
        browser.get("http://127.0.0.1:" + server.port() + "/console/login");
        browser.findElement(By.name("username")).sendKeys(username);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(20))
                .until(d -> "待办清单".equals(d.getTitle()));
    }

    /** A browser check that keeps the page it failed on (target/console-browser-failure) for whoever reads the report. */
    interface BrowserCheck {
        void run() throws Exception;
    }

    static void keepingFailures(ChromeDriver browser, String name, BrowserCheck check) throws Exception {
        try {
            check.run();
        } catch (AssertionError | RuntimeException e) {
            Path out = Path.of("target", "console-browser-failure");
            Files.createDirectories(out);
            Files.write(out.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
            Files.writeString(out.resolve(name + ".html"), browser.getPageSource());
            throw e;
        } finally {
            browser.quit();
        }
    }

    /**
     * Checks the page fits the phone-width window and keeps a screenshot of it for a person to look at
     * (target/console-screens).
     */
    static void screenshot(ChromeDriver browser, String name) throws java.io.IOException {
        org.screening.outreach.support.Browser.assertFitsPhone(browser, name);
        Path out = Path.of("target", "console-screens");
        Files.createDirectories(out);
        Files.write(out.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
