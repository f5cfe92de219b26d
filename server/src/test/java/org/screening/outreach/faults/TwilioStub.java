package org.screening.outreach.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * Twilio's Messages.json on 127.0.0.1: answers 201 with a fresh SID like the real API, and counts each message it
 * took by the key in its StatusCallback ({@code attemptId=…} for reminders, {@code campaignRecipient=…} for
 * campaigns) — a key taken twice is a person who got the text twice. A fault mode makes it refuse instead:
 * 429 with Twilio's error 20429, 500, or no answer until the fault ends (then the connection is dropped). A refused
 * or unanswered request created no message, as with the real service. Each message taken is reported delivered to
 * its StatusCallback ({@link StatusCallbacks}), through the load balancer.
 */
final class TwilioStub implements AutoCloseable {
    static final String ACCOUNT = "AC" + "f".repeat(32);
    static final String AUTH = "faults-auth-token";
    static final String FROM = "+15005550006";

    enum Mode { OK, THROTTLE, ERROR, TIMEOUT }

    static {
        // The JDK server closes a keep-alive connection the moment it goes idle once 200 are idle, which the client
        // sees as no answer on its next request (the text may have gone). Twilio keeps idle connections open; with
        // nodes holding a few hundred, so must the stub. Read once, when the first HttpServer of the JVM starts.
        System.setProperty("sun.net.httpserver.maxIdleConnections", "10000");
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(32, r -> {
        Thread t = new Thread(r, "twilio-stub");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicInteger> taken = new ConcurrentHashMap<>();
    final StatusCallbacks callbacks;
    private final AtomicLong sids = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private volatile Mode mode = Mode.OK;
    private volatile CountDownLatch faultOver = new CountDownLatch(0);

    TwilioStub(SSLContext balancerTls) throws IOException {
        callbacks = new StatusCallbacks(balancerTls, AUTH);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    void fault(Mode m) {
        if (m != Mode.OK && mode == Mode.OK) faultOver = new CountDownLatch(1);
        mode = m;
        if (m == Mode.OK) faultOver.countDown();
    }

    /** How many messages were taken for this StatusCallback key ("attemptId=12", "campaignRecipient=7"). */
    int taken(String key) {
        AtomicInteger n = taken.get(key);
        return n == null ? 0 : n.get();
    }

    /** Messages taken beyond the first for the same key: texts a person received twice. */
    long duplicates() {
        return taken.values().stream().mapToLong(n -> Math.max(0, n.get() - 1)).sum();
    }

    long takenTotal() {
        return taken.values().stream().mapToLong(AtomicInteger::get).sum();
    }

    long refused() {
        return refused.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (!ex.getRequestURI().getPath().endsWith("/Messages.json")) {
                reply(ex, 404, "{\"code\":20404,\"message\":\"not found\",\"status\":404}");
                return;
            }
            switch (mode) {
                case THROTTLE -> {
                    refused.incrementAndGet();
                    ex.getResponseHeaders().add("Retry-After", "1");
                    reply(ex, 429, "{\"code\":20429,\"message\":\"Too Many Requests\",\"status\":429}");
                    return;
                }
                case ERROR -> {
                    refused.incrementAndGet();
                    reply(ex, 500, "{\"code\":20500,\"message\":\"Internal Server Error\",\"status\":500}");
                    return;
                }
                case TIMEOUT -> {
                    refused.incrementAndGet();
                    awaitFaultOver();
                    return; // closed without an answer
                }
                case OK -> { }
            }
            Map<String, String> form = form(body);
            String key = key(form.getOrDefault("StatusCallback", ""));
            taken.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            String sid = String.format("SM%032x", sids.incrementAndGet());
            reply(ex, 201, "{\"account_sid\":\"" + ACCOUNT + "\",\"sid\":\"" + sid + "\",\"status\":\"queued\","
                    + "\"to\":\"" + form.getOrDefault("To", "") + "\",\"from\":\"" + FROM + "\",\"body\":\"x\","
                    + "\"num_segments\":\"1\",\"direction\":\"outbound-api\","
                    + "\"date_created\":\"Fri, 01 Apr 2022 00:00:00 +0000\"}");
            callbacks.delivered(form.get("StatusCallback"), sid, ACCOUNT, FROM, form.getOrDefault("To", ""));
        }
    }

    private void awaitFaultOver() {
        try {
            faultOver.await(10, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String key(String callback) {
        int q = callback.indexOf('?');
        return q < 0 ? "(none)" : callback.substring(q + 1);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> f = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) continue;
            f.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return f;
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }

    @Override
    public void close() {
        fault(Mode.OK);
        server.stop(0);
        threads.shutdownNow();
        callbacks.close();
    }
}
