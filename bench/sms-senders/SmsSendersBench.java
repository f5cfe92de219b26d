import com.twilio.http.TwilioRestClient;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.channels.sms.twilio.TwilioSmsAdapter;
import org.screening.outreach.channels.sms.twilio.TwilioSmsSettings;
import org.screening.outreach.channels.twilio.RetryPolicy;
import org.screening.outreach.channels.twilio.SenderPool;
import org.screening.outreach.channels.twilio.TwilioClients;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;

/**
 * How many texts a node's Twilio SMS client sends per second when Twilio answers as it does in production (after
 * ~200 ms, not at loopback speed), and how many requests it keeps open when Twilio slows down. See README.md.
 */
public class SmsSendersBench {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "bench5ecret9f8e7d6c5b4a39281706f";
    static final String FROM = "+15005550006";
    static final int LATENCY_MS = Integer.getInteger("bench.latencyMs", 200);
    static final int SLOW_MS = Integer.getInteger("bench.slowMs", 8000);
    /** A raised account rate: the server sizes each SMS client from it (SenderPool.forRate). */
    static final double RATE = Double.parseDouble(System.getProperty("bench.rate", "1000"));

    /** The stub's answer delay now, and what it has open. */
    static final AtomicInteger delayMs = new AtomicInteger(LATENCY_MS);
    static final AtomicInteger open = new AtomicInteger();
    static final AtomicInteger peakOpen = new AtomicInteger();
    /** Texts of the slowed-down phase given up: never sent (waited too long here) / timed out (may have gone). */
    static final AtomicLong notSent = new AtomicLong();
    static final AtomicLong maybeSent = new AtomicLong();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 5_000;
        PrintStream figures = System.out;
        System.setOut(System.err);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "retry"));
        int exit = 0;
        try {
            int port = stub(vertx);
            TwilioRestClient client = TwilioClients.create(SID, TOKEN, URI.create("http://127.0.0.1:" + port),
                    Duration.ofSeconds(5), Duration.ofSeconds(15), 1_024);
            Clock clock = Clock.systemUTC();
            int fixedN = Math.min(n, 1_000); // 8 threads at 200 ms take 25 s for these already
            send("warm-up", client, Executors.newFixedThreadPool(8, r -> daemon(r, "warm")), 200, timers, clock);

            double fixed = send("fixed 8 threads", client, Executors.newFixedThreadPool(8, r -> daemon(r, "fixed")),
                    fixedN, timers, clock);
            SenderPool pool = SenderPool.forRate(
                    size -> Executors.newFixedThreadPool(size, r -> daemon(r, "adaptive")), RATE, Duration.ofSeconds(15), clock);
            peakOpen.set(0);
            double adaptive = send("adaptive", client, pool, n, timers, clock);
            int quickPeak = peakOpen.get();
            int quickLimit = pool.limit();

            // Twilio slows down past the pool's threshold (well inside the 15 s timeout): what stays open?
            delayMs.set(SLOW_MS);
            peakOpen.set(0);
            double slow = send("slowed down", client, pool, n / 2, timers, clock);
            int slowPeak = peakOpen.get();

            double ceiling = pool.ceiling() * 1000.0 / LATENCY_MS; // its threads, all busy
            figures.printf(Locale.ROOT, "latency_ms=%d%nrate_per_s=%.0f%nmessages=%d%nfixed8_msgs_per_s=%.0f%n"
                            + "adaptive_msgs_per_s=%.0f%nadaptive_vs_fixed8=%.1f%nadaptive_vs_threads=%.2f%n"
                            + "adaptive_peak_open=%d%nadaptive_limit=%d%nthreads=%d%n"
                            + "slow_latency_ms=%d%nslow_msgs_per_s=%.0f%nslow_peak_open=%d%nslow_limit=%d%nslow_not_sent=%d%nslow_maybe_sent=%d%n",
                    LATENCY_MS, RATE, n, fixed, adaptive, adaptive / fixed, adaptive / ceiling, quickPeak, quickLimit,
                    pool.ceiling(), SLOW_MS, slow, slowPeak, pool.limit(), notSent.get(), maybeSent.get());
        } catch (Exception e) {
            System.err.println("sms-senders bench failed: " + e);
            e.printStackTrace();
            exit = 1;
        } finally {
            timers.shutdownNow();
            vertx.close();
        }
        figures.flush();
        System.exit(exit);
    }

    /** Hands {@code n} texts to a Twilio SMS adapter at once; messages per second until the last answer. */
    static double send(String what, TwilioRestClient client, Executor senders, int n,
                       ScheduledExecutorService timers, Clock clock) throws Exception {
        CountDownLatch done = new CountDownLatch(n);
        AtomicLong failed = new AtomicLong();
        TwilioSmsAdapter adapter = new TwilioSmsAdapter(client, TwilioSmsSettings.of(SID, TOKEN, FROM, null,
                Duration.ofHours(4), null), new Capacity(n, RATE), a -> "【疫情防控】请尽快完成自我申报。", senders, clock,
                RetryPolicy.defaults(), (d, r) -> timers.schedule(r, d.toMillis(), TimeUnit.MILLISECONDS),
                (id, sid, status) -> { }, () -> 0.5);
        OutcomeSink sink = new OutcomeSink() {
            @Override
            public void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
                if (outcome == AttemptOutcome.FAILED) {
                    failed.incrementAndGet();
                    (details.containsKey("maybeSent") ? maybeSent : notSent).incrementAndGet();
                }
                done.countDown();
            }

            @Override
            public void accepted(long attemptId, String providerRef) {
                done.countDown();
            }
        };
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            adapter.send(new OutboundAttempt(i, "case" + i, ChannelKind.SMS, 1, String.format("+86138%08d", i),
                    "张三", Category.YELLOW, "510104001001", Instant.now().plus(Duration.ofHours(2)), null), sink);
        }
        if (!done.await(30, TimeUnit.MINUTES)) throw new IllegalStateException(what + " did not finish");
        double rate = n / ((System.nanoTime() - t0) / 1e9);
        System.err.printf(Locale.ROOT, "%s: %,d texts, %.0f/s, %d failed%n", what, n, rate, failed.get());
        // Only a slowdown may give texts up (they are left to their lease, or may have gone); quick answers must not.
        if (failed.get() > 0 && delayMs.get() < SLOW_MS) throw new IllegalStateException(what + ": " + failed.get() + " texts failed");
        return rate;
    }

    /** Messages.json answering 201 after the current delay, counting what it holds open. */
    static int stub(Vertx vertx) throws Exception {
        AtomicLong sids = new AtomicLong();
        return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
            peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
            vertx.setTimer(delayMs.get(), t -> {
                open.decrementAndGet();
                String sid = String.format("SM%032x", sids.incrementAndGet());
                req.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(Buffer.buffer(
                        ("{\"account_sid\":\"" + SID + "\",\"sid\":\"" + sid + "\",\"status\":\"queued\"}")
                                .getBytes(StandardCharsets.UTF_8)));
            });
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
