package org.screening.outreach.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Headless Debian Chromium through its ChromeDriver (installed by .ci/run); nothing is downloaded. */
public final class Browser {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private Browser() {}

    public static ChromeDriver start(Path profile) {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "Debian chromium and chromium-driver are needed (bash .ci/run installs them)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // The machine's network is closed: no background fetches, no first-run, a fresh profile.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--window-size=390,844", "--lang=zh-CN");
        // Chromium keeps a window at least 500 px wide: the page is shown as on a phone through device emulation.
        options.setExperimentalOption("mobileEmulation", java.util.Map.of("deviceMetrics",
                java.util.Map.of("width", PHONE_WIDTH, "height", 844, "pixelRatio", 2.0)));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort().build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return driver;
    }

    /** The browser's window is a phone's (390 px): the page must not be wider, or staff scroll sideways on a phone. */
    public static final int PHONE_WIDTH = 390;

    /**
     * Fails when the page is wider than the phone screen it is shown on (wide tables belong in a container that
     * scrolls on its own), naming the page and the widest element.
     */
    public static void assertFitsPhone(ChromeDriver driver, String page) {
        Object widths = driver.executeScript("var w = document.documentElement.scrollWidth, v = window.innerWidth, "
                + "wide = ''; document.querySelectorAll('body *').forEach(function (e) { var r = e.getBoundingClientRect();"
                + " if (!wide && r.right > v + 1 && getComputedStyle(e).position !== 'fixed') wide = e.tagName + "
                + "(e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : ''); }); return [w, v, wide];");
        java.util.List<?> w = (java.util.List<?>) widths;
        long scroll = ((Number) w.get(0)).longValue();
        long viewport = ((Number) w.get(1)).longValue();
        org.assertj.core.api.Assertions.assertThat(scroll)
                .as("%s is %d px wide on a %d px phone screen (first too wide: %s)", page, scroll, viewport, w.get(2))
                .isLessThanOrEqualTo(viewport);
    }
}
