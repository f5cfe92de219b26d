package org.screening.outreach.channels.sms.twilio;

import org.screening.outreach.channels.twilio.RetryPolicy;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.sms.SmsTemplates;
import org.screening.outreach.sms.TemplateVariables;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.FormBody;
import org.screening.outreach.support.LogCapture;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.web.report.ReportLinks;

/**
 * The adapter against a WireMock "Twilio", table-driven in the spirit of nyaruka/courier's handler tests: each
 * row is the stub's answers in order, then what every request must carry and what the adapter must report.
 * Retry delays go through a recording {@code Delays} that moves the test clock instead of waiting.
 */
class TwilioSmsAdapterTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "tok3n5ecret9f8e7d6c5b4a39281706f";
    static final String FROM = "+15005550006";
    static final String SERVICE = "MG0123456789abcdef0123456789abcdef";
    static final String PHONE = "+8613800138000";
    static final String CALLBACK = "https://outreach.example.cn/webhooks/twilio/sms/status";
    static final String PATH = "/2010-04-01/Accounts/" + SID + "/Messages.json";
    static final Duration CLIENT_TIMEOUT = Duration.ofMillis(1000);

    static WireMockServer wm;
    static SmsTemplates templates;

    @BeforeAll
    static void start() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        warmUp();
        templates = SmsTemplates.load(Path.of("..", "sms-templates"));
    }

    @AfterAll
    static void stop() {
        wm.stop();
    }

    // ---- the table ----

    /** What the adapter must end with: accepted with a SID (no outcome yet), or one final outcome with details. */
    record Expect(String acceptedSid, AttemptOutcome outcome, Map<String, Object> details) {
        static Expect accepted(String sid) {
            return new Expect(sid, null, Map.of());
        }

        static Expect failed(Map<String, Object> details) {
            return new Expect(null, AttemptOutcome.FAILED, details);
        }
    }

    record Row(String name, List<ResponseDefinitionBuilder> answers, String from, boolean retryAfterTimeout,
               boolean unreachable, int requests, int retries, Expect expect, Duration firstWait) {
        /** {@code firstWait}: the exact wait before the second try (a Retry-After); null: a backoff window. */
        Row(String name, List<ResponseDefinitionBuilder> answers, String from, boolean retryAfterTimeout,
            boolean unreachable, int requests, int retries, Expect expect) {
            this(name, answers, from, retryAfterTimeout, unreachable, requests, retries, expect, null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("success", List.of(created("SM01")), FROM, false, false, 1, 0, Expect.accepted("SM01")),
                new Row("success through a messaging service", List.of(created("SM02")), SERVICE, false, false, 1, 0,
                        Expect.accepted("SM02")),
                new Row("429 then success", List.of(error(429, 20429, "Too Many Requests"), created("SM03")), FROM,
                        false, false, 2, 1, Expect.accepted("SM03")),
                new Row("500 then success", List.of(error(500, 20500, "Internal Server Error"), created("SM04")), FROM,
                        false, false, 2, 1, Expect.accepted("SM04")),
                new Row("503 without body then success", List.of(aResponse().withStatus(503), created("SM05")), FROM,
                        false, false, 2, 1, Expect.accepted("SM05")),
                new Row("429 until retries are exhausted", List.of(error(429, 20429, "Too Many Requests"),
                        error(429, 20429, "Too Many Requests"), error(429, 20429, "Too Many Requests")), FROM, false,
                        false, 3, 2, Expect.failed(Map.of("errorCode", 20429, "httpStatus", 429, "tries", 3,
                        "retriesExhausted", true))),
                new Row("400 with 21211 invalid number", List.of(error(400, 21211,
                        "The 'To' number " + PHONE + " is not a valid phone number.")), FROM, false, false, 1, 0,
                        Expect.failed(Map.of("errorCode", 21211, "httpStatus", 400, "tries", 1,
                                "errorMessage", "The 'To' number **********8000 is not a valid phone number."))),
                new Row("400 with 21610 unsubscribed", List.of(error(400, 21610,
                        "Attempt to send to unsubscribed recipient")), FROM, false, false, 1, 0,
                        Expect.failed(Map.of("errorCode", 21610, "errorMessage", "Attempt to send to unsubscribed recipient"))),
                new Row("response timeout is not retried: maybe sent", List.of(created("SM06").withFixedDelay(slow()),
                        created("SM07")), FROM, false, false, 1, 0,
                        Expect.failed(Map.of("maybeSent", true, "tries", 1, "errorMessage", "SocketTimeoutException"))),
                new Row("response timeout then success when allowed", List.of(created("SM08").withFixedDelay(slow()),
                        created("SM09")), FROM, true, false, 2, 1, Expect.accepted("SM09")),
                new Row("201 with an unreadable body: created, so never retried", List.of(aResponse().withStatus(201)
                        .withBody("<html>proxy</html>"), created("SM11")), FROM, false, false, 1, 0,
                        Expect.failed(Map.of("maybeSent", true, "tries", 1))),
                new Row("connection refused is retried, then fails", List.of(), FROM, false, true, 0, 2,
                        Expect.failed(Map.of("tries", 3, "retriesExhausted", true, "errorMessage", "HttpHostConnectException"))),
                // Retry-After (seconds or HTTP date) is waited for when longer than the backoff (500-1000 ms here)
                new Row("429 with Retry-After: 2 then success", List.of(error(429, 20429, "Too Many Requests")
                        .withHeader("Retry-After", "2"), created("SM12")), FROM, false, false, 2, 1,
                        Expect.accepted("SM12"), Duration.ofSeconds(2)),
                new Row("503 with an HTTP-date Retry-After then success", List.of(aResponse().withStatus(503)
                        .withHeader("Retry-After", "Fri, 01 Apr 2022 00:00:03 GMT"), created("SM13")), FROM, false,
                        false, 2, 1, Expect.accepted("SM13"), Duration.ofSeconds(3)),
                new Row("garbage Retry-After: the normal backoff", List.of(error(429, 20429, "Too Many Requests")
                        .withHeader("Retry-After", "soon"), created("SM14")), FROM, false, false, 2, 1,
                        Expect.accepted("SM14")),
                // 20 s waited, then 45 s asked with 40 s of the 1-minute budget left: give up as when exhausted
                new Row("Retry-After longer than the budget left gives up", List.of(error(429, 20429,
                        "Too Many Requests").withHeader("Retry-After", "20"), error(429, 20429, "Too Many Requests")
                        .withHeader("Retry-After", "45"), created("SM15")), FROM, false, false, 2, 1,
                        Expect.failed(Map.of("httpStatus", 429, "tries", 2, "retriesExhausted", true,
                                "retryAfterSeconds", 45L)), Duration.ofSeconds(20)),
                new Row("Retry-After over the 60 s a live send waits gives up at once", List.of(error(429, 20429,
                        "Too Many Requests").withHeader("Retry-After", "120"), created("SM16")), FROM, false, false,
                        1, 0, Expect.failed(Map.of("httpStatus", 429, "tries", 1, "retriesExhausted", true,
                        "retryAfterSeconds", 120L))));
    }

    static ResponseDefinitionBuilder created(String sid) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                {"account_sid":"%s","api_version":"2010-04-01","body":"x","date_created":"Fri, 01 Apr 2022 00:00:00 +0000",
                 "date_sent":null,"date_updated":"Fri, 01 Apr 2022 00:00:00 +0000","direction":"outbound-api",
                 "error_code":null,"error_message":null,"from":"%s","messaging_service_sid":null,"num_media":"0",
                 "num_segments":"2","price":null,"price_unit":"USD","sid":"%s","status":"queued",
                 "subresource_uris":{"media":"/2010-04-01/Accounts/%s/Messages/%s/Media.json"},"to":"%s",
                 "uri":"/2010-04-01/Accounts/%s/Messages/%s.json"}""".formatted(SID, FROM, sid, SID, sid, PHONE, SID, sid));
    }

    static ResponseDefinitionBuilder error(int status, int code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("""
                {"code":%d,"message":"%s","more_info":"https://www.twilio.com/docs/errors/%d","status":%d}"""
                .formatted(code, message, code, status));
    }

    static int slow() {
        return (int) CLIENT_TIMEOUT.toMillis() + 1500;
    }

    // ---- the harness ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void row(Row row) throws Exception {
        wm.resetAll();
        for (int i = 0; i < row.answers().size(); i++) {
            wm.stubFor(post(urlPathEqualTo(PATH)).inScenario("row")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "after-" + i)
                    .willReturn(row.answers().get(i)).willSetStateTo("after-" + (i + 1)));
        }
        URI base = row.unreachable() ? URI.create("http://127.0.0.1:" + closedPort()) : URI.create(wm.baseUrl());
        TwilioSmsSettings settings = TwilioSmsSettings.of(SID, TOKEN, row.from(), CALLBACK, Duration.ofHours(2), base)
                .withTimeouts(Duration.ofSeconds(2), CLIENT_TIMEOUT);
        MutableClock clock = new MutableClock(Instant.parse("2022-04-01T00:00:00Z"));
        List<Duration> delays = new CopyOnWriteArrayList<>();
        List<Object[]> reports = new CopyOnWriteArrayList<>();
        List<Object[]> accepted = new CopyOnWriteArrayList<>();
        ReportLinks links = new ReportLinks("https://outreach.example.cn", new byte[32], clock, Duration.ofHours(48));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        OutboundAttempt attempt = new OutboundAttempt(42, "01M84GSPZMCWDZCHMS8DY5DHAP", ChannelKind.SMS, 1, PHONE,
                "张三", Category.RED, "510104001001", Instant.parse("2022-04-01T02:00:00Z"));
        String expectedBody = body(attempt, links, clock);

        try (LogCapture logs = new LogCapture("org.screening.outreach", "com.twilio")) {
            TwilioSmsAdapter adapter = new TwilioSmsAdapter(settings, new Capacity(10, 10),
                    a -> body(a, links, clock), executor, clock,
                    new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1), false)
                            .withRetryAfterResponseTimeout(row.retryAfterTimeout()),
                    (d, r) -> { delays.add(d); clock.advance(d); r.run(); },
                    (id, sid, status) -> accepted.add(new Object[] {id, sid, status}));

            adapter.send(attempt, (id, outcome, details) -> reports.add(new Object[] {id, outcome, details}));
            Await.until(row.name() + ": an outcome or an acceptance", Duration.ofSeconds(20),
                    () -> !reports.isEmpty() || !accepted.isEmpty());
            executor.shutdown();
            assertThat(executor.awaitTermination(20, TimeUnit.SECONDS)).isTrue();

            // what went to "Twilio": the same complete request on every try
            List<LoggedRequest> requests = wm.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlPathEqualTo(PATH)));
            assertThat(requests).hasSize(row.requests());
            for (LoggedRequest r : requests) {
                Map<String, String> form = FormBody.parse(r.getBodyAsString());
                Map<String, String> want = new LinkedHashMap<>();
                want.put("To", PHONE);
                want.put(row.from().startsWith("MG") ? "MessagingServiceSid" : "From", row.from());
                want.put("Body", expectedBody);
                want.put("StatusCallback", CALLBACK + "?attemptId=42");
                want.put("ValidityPeriod", "7200");
                assertThat(form).containsAllEntriesOf(want);
                assertThat(form).doesNotContainKey(row.from().startsWith("MG") ? "From" : "MessagingServiceSid");
                assertThat(r.getHeader("Authorization")).isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString((SID + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(delays).hasSize(row.retries());
            assertThat(adapter.retries()).as("provider_retries_total").isEqualTo(row.retries());
            for (int i = 0; i < delays.size(); i++) {
                if (i == 0 && row.firstWait() != null) {
                    assertThat(delays.get(0)).as("Retry-After wait").isEqualTo(row.firstWait());
                    continue;
                }
                long cap = Math.min(8000, 1000L << i);
                assertThat(delays.get(i).toMillis()).as("backoff %d", i).isBetween(cap / 2, cap);
            }

            // what the adapter said
            Expect e = row.expect();
            if (e.acceptedSid() != null) {
                assertThat(reports).as("nothing final on accept").isEmpty();
                assertThat(accepted).hasSize(1);
                assertThat(accepted.get(0)).containsExactly(42L, e.acceptedSid(), TwilioSmsStatus.QUEUED);
            } else {
                assertThat(accepted).isEmpty();
                assertThat(reports).hasSize(1);
                assertThat(reports.get(0)[0]).isEqualTo(42L);
                assertThat(reports.get(0)[1]).isEqualTo(e.outcome());
                @SuppressWarnings("unchecked")
                Map<String, Object> details = (Map<String, Object>) reports.get(0)[2];
                assertThat(details).containsAllEntriesOf(e.details()).containsEntry("provider", "twilio");
                assertThat(details.toString()).doesNotContain("13800138000");
            }

            // the log: something was said, masked, and never the number or the token
            List<String> lines = new ArrayList<>(logs.lines().stream().filter(TwilioSmsAdapterTest::ours).toList());
            assertThat(lines).anySatisfy(l -> assertThat(l).contains("138****8000"));
            assertThat(lines).noneSatisfy(l -> assertThat(l).containsAnyOf("13800138000", TOKEN));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void sendReturnsBeforeTwilioAnswers() throws Exception {
        wm.resetAll();
        wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(created("SM10").withFixedDelay(300)));
        MutableClock clock = new MutableClock(Instant.parse("2022-04-01T00:00:00Z"));
        List<String> sids = new CopyOnWriteArrayList<>();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            TwilioSmsAdapter adapter = new TwilioSmsAdapter(TwilioSmsSettings.of(SID, TOKEN, FROM, CALLBACK,
                    Duration.ofHours(1), URI.create(wm.baseUrl())), new Capacity(1, 1), a -> "hi", executor, clock,
                    RetryPolicy.defaults(), (d, r) -> r.run(), (id, sid, st) -> sids.add(sid));
            adapter.send(new OutboundAttempt(7, "C1", ChannelKind.SMS, 1, PHONE, "", Category.RED, "510104001001",
                    Instant.parse("2022-04-01T02:00:00Z")),
                    (id, o, d) -> {});
            assertThat(sids).as("send must not wait for the HTTP answer").isEmpty();
            Await.until("accepted", Duration.ofSeconds(10), () -> !sids.isEmpty());
            assertThat(sids).containsExactly("SM10");
        } finally {
            executor.shutdownNow();
        }
    }

    /** Twilio may refuse in the 201 itself ("failed" with its error code): that is the outcome, with the code. */
    @Test
    void aFinalStatusInThe201IsTheOutcomeWithTwiliosCode() throws Exception {
        wm.resetAll();
        wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"account_sid":"%s","sid":"SM30","status":"failed","error_code":30007,
                         "error_message":"Message filtered by the carrier","to":"%s","from":"%s","body":"x",
                         "num_segments":"1","direction":"outbound-api"}""".formatted(SID, PHONE, FROM))));
        MutableClock clock = new MutableClock(Instant.parse("2022-04-01T00:00:00Z"));
        List<Object[]> reports = new CopyOnWriteArrayList<>();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            TwilioSmsAdapter adapter = new TwilioSmsAdapter(TwilioSmsSettings.of(SID, TOKEN, FROM, CALLBACK,
                    Duration.ofHours(1), URI.create(wm.baseUrl())), new Capacity(1, 1), a -> "hi", executor, clock,
                    RetryPolicy.defaults(), (d, r) -> r.run(), (id, sid, st) -> { });
            adapter.send(new OutboundAttempt(8, "C1", ChannelKind.SMS, 1, PHONE, "", Category.RED, "510104001001",
                    Instant.parse("2022-04-01T02:00:00Z")), (id, o, d) -> reports.add(new Object[] {id, o, d}));
            Await.until("reported", Duration.ofSeconds(10), () -> !reports.isEmpty());
            assertThat(reports.get(0)[1]).isEqualTo(AttemptOutcome.FAILED);
            @SuppressWarnings("unchecked")
            Map<String, Object> details = (Map<String, Object>) reports.get(0)[2];
            assertThat(details).containsEntry("errorCode", 30007).containsEntry("messageSid", "SM30")
                    .containsEntry("twilioStatus", "failed").containsEntry("errorMessage", "Message filtered by the carrier");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void perMessageLinesAreDebugWithAnInfoSummaryPerMinute() throws Exception {
        wm.resetAll();
        wm.stubFor(post(urlPathEqualTo(PATH)).willReturn(created("SM20")));
        MutableClock clock = new MutableClock(Instant.parse("2022-04-01T00:00:00Z"));
        List<String> sids = new CopyOnWriteArrayList<>();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (LogCapture logs = new LogCapture("org.screening.outreach", "com.twilio")) {
            TwilioSmsAdapter adapter = new TwilioSmsAdapter(TwilioSmsSettings.of(SID, TOKEN, FROM, CALLBACK,
                    Duration.ofHours(1), URI.create(wm.baseUrl())), new Capacity(1, 1), a -> "hi", executor, clock,
                    RetryPolicy.defaults(), (d, r) -> r.run(), (id, sid, st) -> sids.add(sid));
            for (int i = 1; i <= 3; i++) {
                if (i == 3) clock.advance(Duration.ofSeconds(61));
                adapter.send(new OutboundAttempt(i, "C" + i, ChannelKind.SMS, 1, PHONE, "", Category.RED,
                        "510104001001", Instant.parse("2022-04-01T02:00:00Z")), (id, o, d) -> {});
                int want = i;
                Await.until("accepted " + i, Duration.ofSeconds(10), () -> sids.size() == want);
            }
            List<String> info = logs.lines().stream().filter(l -> l.startsWith("INFO " + TwilioSmsAdapter.class.getName()))
                    .toList();
            assertThat(info).containsExactly("INFO " + TwilioSmsAdapter.class.getName()
                    + " - sms via twilio (attemptId) in the last 61 s: 3 accepted, 0 failed, 0 retries");
            assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("DEBUG").contains("138****8000"));
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void settingsNeverPrintTheToken() {
        TwilioSmsSettings s = TwilioSmsSettings.of(SID, TOKEN, FROM, CALLBACK, Duration.ofHours(1), null);
        assertThat(s.toString()).doesNotContain(TOKEN).contains("***");
        assertThat(s.usesMessagingService()).isFalse();
        assertThat(TwilioSmsSettings.of(SID, TOKEN, SERVICE, CALLBACK, Duration.ofHours(1), null).usesMessagingService()).isTrue();
    }

    // ---- helpers ----

    /** WireMock's first answer is slow (class loading); do it before any row counts time. */
    static void warmUp() {
        wm.stubFor(post(urlPathEqualTo("/warm-up")).willReturn(created("SM00")));
        try {
            java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(wm.baseUrl() + "/warm-up"))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("To=x")).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("WireMock did not answer", e);
        }
    }

    static String body(OutboundAttempt a, ReportLinks links, MutableClock clock) {
        return templates.render("reminder." + a.category().name(), "zh-CN", TemplateVariables.reminder(a.name(),
                "玉林社区", a.jurisdiction(), Instant.parse("2022-04-01T02:00:00Z"), ZoneId.of("Asia/Shanghai"), "zh-CN",
                links.link(a.caseId()), "028-12345"));
    }

    /** Lines from our process; the stub's own server logging (Jetty, WireMock) stands in for Twilio's side. */
    static boolean ours(String line) {
        String logger = line.substring(line.indexOf(' ') + 1);
        return !(logger.startsWith("org.eclipse.jetty") || logger.startsWith("wiremock")
                || logger.startsWith("com.github.tomakehurst") || logger.startsWith("org.wiremock"));
    }


    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
