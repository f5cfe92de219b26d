package org.screening.outreach.faults;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * The fault drills at test size: three node processes on one MariaDB, each scenario with its own cases and
 * campaign. Whatever breaks, nothing is lost and nothing is left stuck once the fault is repaired; texts or calls
 * sent twice happen only where a node died or lost its database between telling Twilio and recording it.
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
    }

    @Test
    @Order(2)
    void databaseRestartLosesNothing() throws Exception {
        FaultSuite.Result r = suite.restartDatabase();
        assertSettledAndNothingLost(r);
        // Outcome writes wait for the database instead of being dropped (which sent each again after its lease):
        // at most a few sends whose claim or outcome fell exactly into the restart.
        assertThat(r.figures().duplicates()).isLessThanOrEqualTo(SIZE.recipients() / 100);
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

    private static void assertSettledAndNothingLost(FaultSuite.Result r) {
        System.out.println(String.join("\n", r.lines()) + "\n" + r.figures().detail());
        assertThat(r.settled()).as(r.name() + " settled").isTrue();
        assertThat(r.figures().lost()).as(r.name() + " lost: " + r.figures().detail()).isZero();
        assertThat(r.figures().stuck()).as(r.name() + " stuck").isZero();
    }
}
