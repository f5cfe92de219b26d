package org.screening.outreach.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.screening.outreach.support.ShippedFiles;

/**
 * The fault drills at test size: three node processes on one MariaDB (the shipped outreach.cnf), two of them behind
 * HAProxy (the shipped haproxy.cfg), which carries the API pushes and Twilio's status callbacks, and Prometheus
 * (the shipped prometheus.yml and alerts.yml) scraping them; each scenario with its own cases and campaign. Whatever
 * breaks, nothing is lost and nothing is left stuck once the fault is repaired; texts or calls sent twice happen
 * only where a node died or lost its database between telling Twilio and recording it.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteTest {
    private static final FaultSuite.Size SIZE = new FaultSuite.Size(150, 2000, Duration.ofSeconds(6),
            Duration.ofSeconds(12), Duration.ofMinutes(3));
    private Path dir;
    private FaultRig rig;
    private FaultSuite suite;

    @BeforeAll
    void start() throws Exception {
        dir = Path.of("target", "faults-" + ProcessHandle.current().pid()).toAbsolutePath();
        Files.createDirectories(dir);
        rig = new FaultRig(dir, new FaultRig.Settings(3, Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofSeconds(3), 300,
                100, null));
        suite = new FaultSuite(rig, SIZE, m -> System.out.println("[faults] " + m));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (rig != null) rig.close();
        } finally {
            if (!Boolean.getBoolean("faults.keep")) FaultRig.deleteTree(dir); // -Dfaults.keep=true: node logs stay
        }
    }

    @Test
    @Order(1)
    void killedNodesWorkIsFinishedByTheOthers() throws Exception {
        FaultSuite.Result r = suite.killNode();
        assertSettledAndNothingLost(r);
        // A killed node may have handed texts to Twilio it never recorded: at most what it had claimed.
        assertThat(r.figures().duplicates()).isLessThanOrEqualTo(SIZE.recipients() / 3);
        // Behind the balancer, Twilio's callbacks kept being taken while outreach-2 was dead: only those in flight to it
        // at the kill failed (the balancer retries refused connections elsewhere; its checks then took the node out),
        // and every one acknowledged was applied (lost counts one that was not: a campaign recipient's or a case
        // reminder's).
        assertThat(r.figures().callbacksFailed()).as("status callbacks failed").isLessThanOrEqualTo(StatusCallbacks.THREADS);
        assertThat(rig.twilio.callbacks.answered()).as("status callbacks taken through the balancer").isPositive();
        assertThat(rig.twilio.callbacks.remindersAcknowledged()).as("case reminders' callbacks acknowledged").isPositive();
    }

    @Test
    @Order(2)
    void databaseRestartLosesNothing() throws Exception {
        FaultSuite.Result r = suite.restartDatabase();
        assertSettledAndNothingLost(r);
        // Outcome writes wait for the database instead of being dropped (which sent each again after its lease):
        // at most a few sends whose claim or outcome fell exactly into the restart.
        assertThat(r.figures().duplicates()).isLessThanOrEqualTo(SIZE.recipients() / 100);
        // The nodes spool Twilio's status callbacks while the database is away; the balancer must keep sending
        // them there rather than refuse them because /health says the database is down.
        assertThat(r.figures().callbacksFailed()).as("status callbacks refused during the restart").isZero();
    }

    @Test
    @Order(3)
    void twilioStormIsRiddenOut() throws Exception {
        FaultSuite.Result r = suite.twilioStorm();
        assertSettledAndNothingLost(r);
        assertThat(r.figures().duplicates()).isZero();
    }

    @Test
    @Order(4)
    void amiDropDuringOriginates() throws Exception {
        FaultSuite.Result r = suite.dropAmi();
        assertSettledAndNothingLost(r);
        // Calls ringing when the link dropped lost their outcome: they were marked dialling when their Originate
        // went out, so they are settled once no call could still run, never dialled again as the same attempt.
        assertThat(r.figures().duplicates()).isZero();
        assertThat(r.figures().detail()).as("the drop caught calls ringing").doesNotContain("calls_unreported=0");
    }

    @Test
    @Order(5)
    void ledgerReceiverDownThenBacklogDrains() throws Exception {
        FaultSuite.Result r = suite.ledgerDown();
        assertSettledAndNothingLost(r);
        assertThat(r.figures().duplicates()).isZero();
    }

    @Test
    @Order(6)
    void prometheusScrapedEveryNodeAndLoadedEveryAlertRule() throws Exception {
        PrometheusServer.Health h = suite.monitoring(Duration.ofMinutes(2));
        assertThat(h.targetsNotUp()).as("targets not up").isEmpty();
        assertThat(h.rulesNotOk()).as("alert rules not evaluated fine").isEmpty();
        // three nodes, HAProxy's exporter, Prometheus itself; every rule of alerts.yml
        assertThat(h.targets()).isEqualTo(5);
        assertThat(h.rules()).isEqualTo(alertRules());
        // The nodes' own series arrive: the gauge the deadline alert reads, from each node.
        assertThat(rig.prometheus().query("cases_overdue")).hasSize(3);
    }

    private static int alertRules() throws IOException {
        String rules = Files.readString(ShippedFiles.deploy("prometheus/alerts.yml"));
        return (int) rules.lines().filter(l -> l.strip().startsWith("- alert:")).count();
    }

    private static void assertSettledAndNothingLost(FaultSuite.Result r) {
        System.out.println(String.join("\n", r.lines()) + "\n" + r.figures().detail());
        assertThat(r.settled()).as(r.name() + " settled").isTrue();
        assertThat(r.figures().lost()).as(r.name() + " lost: " + r.figures().detail()).isZero();
        assertThat(r.figures().stuck()).as(r.name() + " stuck").isZero();
    }
}
