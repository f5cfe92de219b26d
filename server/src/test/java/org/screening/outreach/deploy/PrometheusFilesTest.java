package org.screening.outreach.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.support.InstalledBinary;
import org.screening.outreach.support.PrometheusConfigCopy;
import org.screening.outreach.support.ShippedFiles;

/**
 * Prometheus' own checker on the shipped files: the configuration and the alert rules parse, and the rules' unit
 * tests (deploy/prometheus/alerts.test.yml: the deadline-breach and stuck-queue alerts) pass. promtool comes with
 * Debian's prometheus package, which .ci/run installs; without it this fails, saying so.
 */
class PrometheusFilesTest {

    @Test
    void theConfigurationIsValid(@TempDir Path dir) throws Exception {
        // The rule file is mounted at /etc/prometheus/alerts.yml by compose: the copy names the shipped one instead.
        Path copy = PrometheusConfigCopy.render(dir.resolve("prometheus.yml"), Map.of());
        assertThat(promtool("check", "config", copy.toString())).contains("SUCCESS");
    }

    @Test
    void theAlertRulesAreValid() throws Exception {
        String out = promtool("check", "rules", ShippedFiles.deploy("prometheus/alerts.yml").toString());
        assertThat(out).containsPattern("SUCCESS: \\d+ rules found");
    }

    @Test
    void theAlertRuleUnitTestsPass() throws Exception {
        Path tests = ShippedFiles.deploy("prometheus/alerts.test.yml");
        String text = Files.readString(tests);
        assertThat(text).contains("alertname: OutreachDeadlinesMissed", "alertname: OutreachAttemptsNotTaken");
        assertThat(promtool("test", "rules", tests.toString())).contains("SUCCESS");
    }

    /** Runs promtool; its output, or a failure with it when the exit status is not 0. */
    private static String promtool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(InstalledBinary.require("promtool", "prometheus").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("promtool finished").isTrue();
        assertThat(p.exitValue()).as("promtool %s:\n%s", String.join(" ", args), out).isZero();
        return out;
    }
}
