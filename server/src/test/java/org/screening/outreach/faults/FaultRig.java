package org.screening.outreach.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.channels.voice.asterisk.FakeAmiServer;
import org.screening.outreach.store.EmbeddedMariaDb;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.MysqldOptionFile;
import org.screening.outreach.support.ShippedFiles;
import org.screening.outreach.support.TestIdKeys;

/**
 * What a deployment under test is made of, all on 127.0.0.1: one real MariaDB (restartable on its port) with the
 * shipped outreach.cnf settings, a Twilio stub, a PBX speaking the AMI wire format, a ledger receiver, N server nodes
 * as separate processes sharing the database, HAProxy with the shipped haproxy.cfg in front of the first two, and
 * Prometheus with the shipped prometheus.yml (loopback targets) and alerts.yml scraping every node. Nodes are
 * configured for short leases so a killed node's work comes back within a test's patience.
 */
final class FaultRig implements AutoCloseable {
    static final String ADMIN = "faults-admin-token-0123456789abcdef";
    static final String DATABASE = "outreach";
    private static final String AMI_USER = "outreach";
    private static final String AMI_SECRET = "faults-ami-secret";

    /** Sizes and timings: the bench's full run and the test suite's small one differ only here. */
    record Settings(int nodes, Duration lease, Duration ledgerTimeout, Duration ring, int smsPerSecond, int callsPerSecond,
                    Path jar) {}

    final Settings settings;
    final LoopbackTls tls;
    final TwilioStub twilio;
    final LedgerReceiver ledger;
    final FakeAmiServer pbx;
    final LoadBalancer lb;
    final List<NodeProcess> nodes = new ArrayList<>();
    private final Path dir;
    private final int dbPort;
    private EmbeddedMariaDb db;
    private PrometheusServer prometheus;

    FaultRig(Path dir, Settings settings) throws Exception {
        this.dir = dir;
        this.settings = settings;
        dbPort = freePort();
        try {
            tls = LoopbackTls.create(dir.resolve("tls"));
            twilio = new TwilioStub(tls.context());
            ledger = new LedgerReceiver();
            pbx = new FakeAmiServer(AMI_USER, AMI_SECRET);
            lb = new LoadBalancer(dir.resolve("haproxy"), tls);
            startAll();
        } catch (Exception | Error e) {
            try {
                close(); // whatever started stops: nothing outlives a rig that failed to come up
            } catch (Exception alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
    }

    private void startAll() throws Exception {
        // Nobody answers (each case goes on to a door knock), after ringing a while: an AMI link dropped meanwhile
        // loses the call's OriginateResponse, which its lease must then settle.
        pbx.scriptDefault(FakeAmiServer.Outcome.reason(3).afterRinging(settings.ring()));
        startDatabase();
        db.createDatabase(DATABASE);
        for (int i = 1; i <= settings.nodes(); i++) {
            int http = freePort();
            nodes.add(new NodeProcess("node-" + i, NodeProcess.javaCommand(settings.jar()), env(http, freePort(), i),
                    dir.resolve("node-" + i), http));
        }
        // The balancer fronts the first two nodes (compose's two replicas); a third works the same database unseen
        // by it, as a node being added would (OPERATIONS.md, "Adding nodes").
        lb.start(nodes.subList(0, 2));
        Await.until("haproxy listening", Duration.ofSeconds(30), () -> interruptible(lb::ready));
        // The first node migrates the schema alone; the others start together once it is up.
        nodes.get(0).start();
        nodes.get(0).awaitUp(Duration.ofMinutes(3));
        for (NodeProcess n : nodes.subList(1, nodes.size())) n.start();
        for (NodeProcess n : nodes.subList(1, nodes.size())) n.awaitUp(Duration.ofMinutes(3));
        for (String server : List.of("outreach-1", "outreach-2")) {
            Await.until("haproxy's health checks find " + server + " UP", Duration.ofMinutes(1), () -> balancerSays(server, true));
        }
        prometheus = new PrometheusServer(dir.resolve("prometheus"), nodes, lb.statsPort);
        Await.until("prometheus ready", Duration.ofMinutes(1), () -> interruptible(prometheus::ready));
    }

    PrometheusServer prometheus() {
        return prometheus;
    }

    /** Whether HAProxy's health checks have {@code server} UP ({@code up}) or DOWN (not up). */
    boolean balancerSays(String server, boolean up) {
        try {
            return up ? lb.up(server) : lb.down(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    interface Probe {
        boolean holds() throws InterruptedException;
    }

    private static boolean interruptible(Probe probe) {
        try {
            return probe.holds();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A client for the public address (the balancer, over TLS), as a province's system would use. */
    HttpClient publicClient() {
        return HttpClient.newBuilder().sslContext(tls.context()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * A node's environment: the shipped {@code deploy/env/outreach.env} (what compose and systemd give a node), with
     * what differs on loopback put over it — ports, the database, the stubs, short leases, the ID keys.
     */
    private Map<String, String> env(int httpPort, int agiPort, int i) throws IOException {
        Map<String, String> env = new HashMap<>(ShippedFiles.env("outreach.env"));
        env.putAll(TestIdKeys.settings());
        env.put("OUTREACH_HTTP_PORT", Integer.toString(httpPort));
        env.put("OUTREACH_DATA_DIR", dir.resolve("node-" + i).resolve("data").toString());
        env.put("OUTREACH_DB_URL", db.jdbcUrl(DATABASE));
        env.put("OUTREACH_DB_USER", "root");
        env.put("OUTREACH_DB_PASSWORD", "");
        env.put("OUTREACH_ADMIN_TOKEN", ADMIN);
        // As in production: the address Twilio calls back (and signs) is the balancer's.
        env.put("OUTREACH_PUBLIC_URL", lb.publicUrl());
        // Quiet hours (22:00-07:00) would hold the campaign back when the suite runs at night: the nodes live in the
        // UTC offset where it is now about midday.
        env.put("OUTREACH_TIMEZONE", middayOffset().getId());
        // Each case: one reminder SMS and one call at once, then a door knock; nothing waits for the morning.
        env.put("OUTREACH_PLAN_YELLOW", "sms=0;calls=0;quiet=ignore");
        env.put("OUTREACH_SMS_PROVIDER", "twilio");
        env.put("TWILIO_ACCOUNT_SID", TwilioStub.ACCOUNT);
        env.put("TWILIO_AUTH_TOKEN", TwilioStub.AUTH);
        env.put("TWILIO_FROM", TwilioStub.FROM);
        env.put("TWILIO_API_BASE", twilio.base());
        env.put("OUTREACH_TWILIO_SMS_PER_SECOND", Integer.toString(settings.smsPerSecond()));
        env.put("OUTREACH_VOICE_PROVIDER", "asterisk");
        env.put("ASTERISK_AMI_HOST", "127.0.0.1:" + pbx.port());
        env.put("ASTERISK_AMI_USER", AMI_USER);
        env.put("ASTERISK_AMI_SECRET", AMI_SECRET);
        env.put("OUTREACH_AGI_PORT", Integer.toString(agiPort));
        env.put("OUTREACH_ASTERISK_CALLS_PER_SECOND", Integer.toString(settings.callsPerSecond()));
        // Enough channels that ringing does not throttle the calls below their rate.
        long channels = Math.max(200, 2 * settings.callsPerSecond() * Math.max(1, settings.ring().toSeconds()));
        env.put("OUTREACH_ASTERISK_CHANNELS", Long.toString(Math.min(10_000, channels)));
        env.put("OUTREACH_LEDGER_URL", ledger.url());
        env.put("OUTREACH_LEDGER_KEY", "hex:" + "ab".repeat(32));
        // The feed's claim lease is 21 request timeouts + 30 s: this is what brings a dead node's claims back.
        env.put("OUTREACH_LEDGER_TIMEOUT_SECONDS", Long.toString(settings.ledgerTimeout().toSeconds()));
        String lease = Long.toString(settings.lease().toSeconds());
        env.put("OUTREACH_CALL_LEASE_SECONDS", lease);
        env.put("OUTREACH_SMS_LEASE_SECONDS", lease);
        // The fake PBX's calls end after ringing: the shortest limit lets calls lost with the AMI link settle soon.
        env.put("OUTREACH_CALL_LIMIT_SECONDS", "30");
        return env;
    }

    private static ZoneOffset middayOffset() {
        int hour = ZonedDateTime.now(ZoneOffset.UTC).getHour();
        return ZoneOffset.ofHours(12 - hour);
    }

    NodeProcess node(int i) {
        return nodes.get(i);
    }

    /** A connection of the harness's own, for the accounting queries. */
    Connection sql() throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(DATABASE), "root", "");
    }

    /** Stops the database (clients see their connections refused) and starts it again on the same port. */
    void stopDatabase() {
        db.close();
    }

    /** With the [mysqld] settings of the shipped deploy/mysql/outreach.cnf (the part MySQL and MariaDB share). */
    void startDatabase() {
        try {
            db = EmbeddedMariaDb.start(dir.resolve("db"), dbPort,
                    MysqldOptionFile.serverOptions(ShippedFiles.deploy("mysql/outreach.cnf")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        if (prometheus != null) prometheus.close();
        if (lb != null) lb.close();
        for (NodeProcess n : nodes) n.close();
        if (pbx != null) pbx.close();
        if (ledger != null) ledger.close();
        if (twilio != null) twilio.close();
        if (db != null) db.close();
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
