package org.screening.outreach.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One server node as its own operating-system process (the real {@code Main}, from the jar or the test classpath),
 * so it can be killed with SIGKILL and nothing it held in memory survives. Output goes to {@code <dir>/node.log}.
 */
final class NodeProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final String name;
    final int httpPort;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path dir;
    private volatile Process process;
    private boolean stopOnExit;

    NodeProcess(String name, List<String> command, Map<String, String> env, Path dir, int httpPort) {
        this.name = name;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.dir = dir;
        this.httpPort = httpPort;
    }

    /** {@code java -jar <jar>}, or {@code java -cp <classpath> Main} when there is no jar (the test suite). */
    static List<String> javaCommand(Path jar) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        if (jar != null) return List.of(java, "-Xmx512m", "-jar", jar.toString());
        return List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"), "org.screening.outreach.Main");
    }

    /** Its FastAGI port (behind the balancer's agi frontend). */
    int agiPort() {
        return Integer.parseInt(env.get("OUTREACH_AGI_PORT"));
    }

    String base() {
        return "http://127.0.0.1:" + httpPort;
    }

    void start() throws IOException {
        Files.createDirectories(dir);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("node.log").toFile()));
        // The developer's own settings must not leak into a node.
        pb.environment().keySet().removeIf(k -> k.startsWith("OUTREACH_") || k.startsWith("TWILIO_")
                || k.startsWith("ASTERISK_") || k.equals("JAVA_TOOL_OPTIONS") || k.equals("JDK_JAVA_OPTIONS"));
        pb.environment().putAll(env);
        process = pb.start();
        // Should the drill's JVM exit without closing the rig, the node goes with it (the current process, restarts too).
        if (!stopOnExit) Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (process != null) process.destroyForcibly();
        }, name + "-stop"));
        stopOnExit = true;
    }

    /** Waits for {@code /health} to say UP; fails with the end of the node's log if it exits or takes too long. */
    void awaitUp(Duration limit) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(base() + "/health")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < end) {
            if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
            try {
                HttpResponse<String> r = HTTP.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) return;
            } catch (IOException notYet) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(200); // polling a starting process: there is no event to wait on
        }
        throw new IllegalStateException(name + " not UP within " + limit + ":\n" + logTail());
    }

    /** SIGKILL: no shutdown hook runs, leases and claims stay in the database as the node left them. */
    void kill9() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    /** Its exit status once it has gone (143: it ended on SIGTERM after its shutdown hooks; 137: SIGKILL). */
    int exitValue() {
        return process.exitValue();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The last lines of the node's log, for a failure message. */
    String logTail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("node.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM (graceful stop), SIGKILL if it has not gone after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process == null || !process.isAlive()) return;
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) kill9();
    }
}
