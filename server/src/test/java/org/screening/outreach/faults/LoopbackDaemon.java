package org.screening.outreach.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program the drill runs in the foreground as its child (HAProxy, Prometheus), output to a log file. It is stopped
 * by {@link #close()} and, should the drill's JVM exit without getting there, by a shutdown hook: nothing is left
 * running after the drill.
 */
final class LoopbackDaemon implements AutoCloseable {
    final String name;
    private final Process process;
    private final Path log;
    private final Thread hook;

    private LoopbackDaemon(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.hook = new Thread(process::destroyForcibly, name + "-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    static LoopbackDaemon start(String name, List<String> command, Map<String, String> env, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(command).directory(log.getParent().toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        return new LoopbackDaemon(name, pb.start(), log);
    }

    /** Fails with the end of the log if the program has exited (a configuration it refused, a port taken). */
    void assertAlive() {
        if (!process.isAlive()) throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, SIGKILL after 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing to remove
        }
    }
}
