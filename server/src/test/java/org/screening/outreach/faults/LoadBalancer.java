package org.screening.outreach.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.support.InstalledBinary;
import org.screening.outreach.support.ShippedFiles;

/**
 * HAProxy run with the shipped deploy/haproxy/haproxy.cfg, unchanged: the file reads its addresses from the
 * environment ("${LB_…}"), so the drill gives it deploy/env/haproxy.env with the loopback values put over it — free
 * ports on 127.0.0.1, the first two nodes as outreach-1 and outreach-2 (compose's two replicas), the drill's
 * certificate. Everything a load balancer carries in production goes through it: API pushes and Twilio's callbacks.
 */
final class LoadBalancer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final int httpsPort;
    final int statsPort;
    private final Path dir;
    private final LoopbackTls tls;
    private LoopbackDaemon haproxy;

    LoadBalancer(Path dir, LoopbackTls tls) throws IOException {
        this.dir = dir;
        this.tls = tls;
        httpsPort = FaultRig.freePort();
        statsPort = FaultRig.freePort();
    }

    /** The address the nodes' OUTREACH_PUBLIC_URL names and Twilio calls back. */
    String publicUrl() {
        return "https://127.0.0.1:" + httpsPort;
    }

    /** Starts HAProxy in the foreground ({@code -db}) in front of {@code nodes} (outreach-1, outreach-2). */
    void start(List<NodeProcess> nodes) throws IOException {
        Map<String, String> shipped = ShippedFiles.env("haproxy.env");
        Map<String, String> env = new HashMap<>(shipped);
        env.put("LB_HTTP_BIND", "127.0.0.1:" + FaultRig.freePort());
        env.put("LB_HTTPS_BIND", "127.0.0.1:" + httpsPort);
        env.put("LB_AGI_BIND", "127.0.0.1:" + FaultRig.freePort());
        env.put("LB_STATS_BIND", "127.0.0.1:" + statsPort);
        env.put("LB_TLS_CERT", tls.pem.toString());
        for (int i = 1; i <= 2; i++) {
            env.put("LB_NODE_" + i, "127.0.0.1:" + nodes.get(i - 1).httpPort);
            env.put("LB_NODE_" + i + "_AGI", "127.0.0.1:" + nodes.get(i - 1).agiPort());
        }
        // Every address haproxy.env sets is a production one: a variable added there must get a loopback value here.
        if (!env.keySet().equals(shipped.keySet())) {
            throw new IllegalStateException("haproxy.env sets " + shipped.keySet() + ", the drill " + env.keySet());
        }
        Path cfg = ShippedFiles.deploy("haproxy/haproxy.cfg");
        // -db: foreground, a child of the drill. -n: the cfg's maxconn (20000) needs 40,000 file descriptors, which
        // compose grants (ulimits) and a build machine may not; -n takes precedence over it and the drill needs few.
        haproxy = LoopbackDaemon.start("haproxy", List.of(InstalledBinary.require("haproxy", "haproxy").toString(), "-db",
                "-n", "1000", "-f", cfg.toString()), env, dir.resolve("haproxy.log"));
    }

    /** Listening (its stats page answers); fails with its log if it has exited. */
    boolean ready() throws InterruptedException {
        haproxy.assertAlive();
        try {
            return HTTP.send(statsRequest(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private HttpRequest statsRequest() {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort + "/stats;csv")).timeout(Duration.ofSeconds(5))
                .build();
    }

    /** The health-check state of a backend server ("UP", "DOWN", "UP 1/2" …), from the stats page's CSV. */
    String status(String server) throws IOException, InterruptedException {
        haproxy.assertAlive();
        HttpResponse<String> r = HTTP.send(statsRequest(), HttpResponse.BodyHandlers.ofString());
        String[] lines = r.body().split("\n");
        List<String> header = Arrays.asList(lines[0].replaceFirst("^# ", "").split(","));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int status = header.indexOf("status");
        for (String line : lines) {
            String[] f = line.split(",", -1);
            if (f.length > status && f[px].equals("outreach") && f[sv].equals(server)) return f[status];
        }
        throw new IllegalStateException("no server " + server + " in haproxy's stats");
    }

    boolean up(String server) throws IOException, InterruptedException {
        return status(server).equals("UP");
    }

    boolean down(String server) throws IOException, InterruptedException {
        return status(server).startsWith("DOWN");
    }

    @Override
    public void close() throws InterruptedException {
        if (haproxy != null) haproxy.close();
    }
}
