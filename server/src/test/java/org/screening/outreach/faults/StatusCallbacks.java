package org.screening.outreach.faults;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.screening.outreach.web.webhooks.TwilioTestRequests;

/**
 * The Twilio stub's status callbacks: for each message it took, a signed {@code MessageStatus=delivered} POST to the
 * message's StatusCallback — which names the public address, i.e. the load balancer, as in production. Like Twilio,
 * a callback is sent once: one not answered 2xx is counted as failed, not retried. {@link #THREADS} are in flight at
 * most, which bounds how many a node killed mid-request can fail. Keeps the ids of the messages whose callback a node
 * acknowledged — campaign recipients ({@code ?campaignRecipient=}) and case reminders' attempts ({@code ?attemptId=})
 * — so {@link Tally} can ask the database whether each was applied.
 */
final class StatusCallbacks implements AutoCloseable {
    static final int THREADS = 8;
    private static final String RECIPIENT = "campaignRecipient=";
    private static final String ATTEMPT = "attemptId=";
    private final HttpClient http;
    private final String authToken;
    private final ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "twilio-callbacks");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Failed callbacks by HTTP status, or by exception when none came back. */
    private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<Long> deliveredRecipients = ConcurrentHashMap.newKeySet();
    private final Set<Long> deliveredAttempts = ConcurrentHashMap.newKeySet();

    StatusCallbacks(SSLContext tls, String authToken) {
        this.http = HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.authToken = authToken;
    }

    /** Queues the "delivered" callback of a message just taken. */
    void delivered(String callbackUrl, String messageSid, String accountSid, String from, String to) {
        if (callbackUrl == null || callbackUrl.isBlank()) return;
        Map<String, String> form = new LinkedHashMap<>();
        form.put("MessageSid", messageSid);
        form.put("SmsSid", messageSid);
        form.put("AccountSid", accountSid);
        form.put("From", from);
        form.put("To", to);
        form.put("MessageStatus", "delivered");
        form.put("SmsStatus", "delivered");
        form.put("ApiVersion", "2010-04-01");
        pending.incrementAndGet();
        threads.execute(() -> {
            try {
                post(callbackUrl, form);
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    private void post(String url, Map<String, String> form) {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                    .header("X-Twilio-Signature", TwilioTestRequests.sign(authToken, url, form))
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() / 100 != 2) {
                failed.incrementAndGet();
                failures.computeIfAbsent(Integer.toString(r.statusCode()), k -> new AtomicLong()).incrementAndGet();
                return;
            }
            answered.incrementAndGet();
            long recipient = idAfter(url, RECIPIENT);
            long attempt = recipient < 0 ? idAfter(url, ATTEMPT) : -1;
            if (recipient >= 0) deliveredRecipients.add(recipient);
            if (attempt >= 0) deliveredAttempts.add(attempt);
        } catch (IOException e) {
            failed.incrementAndGet();
            failures.computeIfAbsent(e.getClass().getSimpleName(), k -> new AtomicLong()).incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Callbacks queued or in flight. */
    long pending() {
        return pending.get();
    }

    /** Callbacks answered 2xx. */
    long answered() {
        return answered.get();
    }

    /** Callbacks answered otherwise (a 502 from the balancer, a 5xx) or not at all: Twilio would not send them again. */
    /** Why callbacks failed so far, e.g. {@code {503=12, HttpTimeoutException=3}}. */
    java.util.Map<String, Long> failures() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        failures.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    long failed() {
        return failed.get();
    }

    /** A node acknowledged "delivered" for this campaign recipient: its row must say so. */
    boolean acknowledged(long recipient) {
        return deliveredRecipients.contains(recipient);
    }

    /** Acknowledged "delivered" callbacks for recipients with ids in [first, last] (one campaign's rows). */
    long acknowledgedBetween(long first, long last) {
        return deliveredRecipients.stream().filter(id -> id >= first && id <= last).count();
    }

    /** A node acknowledged "delivered" for this case reminder (SMS attempt): the attempt must show it delivered. */
    boolean acknowledgedAttempt(long attempt) {
        return deliveredAttempts.contains(attempt);
    }

    /** Case reminders (SMS attempts) whose "delivered" callback a node acknowledged. */
    long remindersAcknowledged() {
        return deliveredAttempts.size();
    }

    /** The id in {@code url}'s {@code key} parameter ("attemptId=", "campaignRecipient="); -1 when it has none. */
    private static long idAfter(String url, String key) {
        int at = url.indexOf(key);
        if (at < 0) return -1;
        int from = at + key.length();
        int to = from;
        while (to < url.length() && Character.isDigit(url.charAt(to))) to++;
        return to == from ? -1 : Long.parseLong(url.substring(from, to));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
