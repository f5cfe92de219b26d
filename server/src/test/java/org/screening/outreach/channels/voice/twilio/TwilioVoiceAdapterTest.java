package org.screening.outreach.channels.voice.twilio;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.channels.twilio.RetryPolicy;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.FormBody;
import org.screening.outreach.support.LogCapture;
import org.screening.outreach.support.MutableClock;

/**
 * Placing calls through the real SDK against a WireMock "Twilio", one row per answer sequence (the retry rules
 * themselves are shared with SMS and tabled in TwilioSmsAdapterTest): what each request carries, and whether the
 * attempt is handed over with its call SID or fails with Twilio's code.
 */
class TwilioVoiceAdapterTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String PATH = "/2010-04-01/Accounts/" + SID + "/Calls.json";
    static final String PHONE = "+8613800138000";
    static final String PUBLIC = "https://outreach.example.cn";
    static WireMockServer wm;

    @BeforeAll
    static void start() {
        wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
    }

    @AfterAll
    static void stop() {
        wm.stop();
    }

    record Row(String name, List<ResponseDefinitionBuilder> answers, boolean machineDetection, int requests,
               String acceptedSid, Map<String, Object> failure, Duration firstWait) {
        /** {@code firstWait}: the exact wait before the second try (a Retry-After); null: a backoff window. */
        Row(String name, List<ResponseDefinitionBuilder> answers, boolean machineDetection, int requests,
            String acceptedSid, Map<String, Object> failure) {
            this(name, answers, machineDetection, requests, acceptedSid, failure, null);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> rows() {
        return Stream.of(
                new Row("placed", List.of(created("CA01")), true, 1, "CA01", null),
                new Row("placed without machine detection", List.of(created("CA02")), false, 1, "CA02", null),
                new Row("429 then placed", List.of(error(429, 20429, "Too Many Requests"), created("CA03")), true, 2,
                        "CA03", null),
                new Row("503 then placed", List.of(aResponse().withStatus(503), created("CA04")), true, 2, "CA04", null),
                new Row("21211 invalid number fails at once", List.of(error(400, 21211,
                        "The 'To' number " + PHONE + " is not a valid phone number.")), true, 1, null,
                        Map.of("errorCode", 21211, "httpStatus", 400, "tries", 1,
                                "errorMessage", "The 'To' number **********8000 is not a valid phone number.")),
                new Row("21215 region not enabled fails at once", List.of(error(400, 21215,
                        "Account not authorized to call this number")), true, 1, null,
                        Map.of("errorCode", 21215, "provider", "twilio")),
                new Row("500 until retries are exhausted", List.of(error(500, 20500, "Internal Server Error"),
                        error(500, 20500, "Internal Server Error"), error(500, 20500, "Internal Server Error")), true, 3,
                        null, Map.of("retriesExhausted", true, "tries", 3, "httpStatus", 500)),
                new Row("429 with Retry-After: 2 then placed", List.of(error(429, 20429, "Too Many Requests")
                        .withHeader("Retry-After", "2"), created("CA05")), true, 2, "CA05", null, Duration.ofSeconds(2)),
                new Row("garbage Retry-After: the normal backoff", List.of(aResponse().withStatus(503)
                        .withHeader("Retry-After", "Fri, 99 Foo 2022"), created("CA06")), true, 2, "CA06", null),
                // more than the 1-minute budget: fails as exhausted retries do, so failover can take the call
                new Row("503 with Retry-After past the budget fails at once", List.of(aResponse().withStatus(503)
                        .withHeader("Retry-After", "600"), created("CA07")), true, 1, null,
                        Map.of("retriesExhausted", true, "tries", 1, "httpStatus", 503, "providerDown", true,
                                "retryAfterSeconds", 600L)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void row(Row row) throws Exception {
        wm.resetAll();
        for (int i = 0; i < row.answers().size(); i++) {
            wm.stubFor(post(urlPathEqualTo(PATH)).inScenario("row")
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "after-" + i)
                    .willReturn(row.answers().get(i)).willSetStateTo("after-" + (i + 1)));
        }
        TwilioVoiceSettings settings = new TwilioVoiceSettings(SID, "tok3n", "+15005550006", PUBLIC + "/",
                Duration.ofSeconds(25), Duration.ofMinutes(10), row.machineDetection(), URI.create(wm.baseUrl()),
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        MutableClock clock = new MutableClock(Instant.parse("2022-04-01T01:00:00Z"));
        ExecutorService executor = Executors.newFixedThreadPool(2);
        List<String> accepted = new CopyOnWriteArrayList<>();
        List<Object[]> reports = new CopyOnWriteArrayList<>();
        List<Duration> delays = new CopyOnWriteArrayList<>();
        try (LogCapture logs = new LogCapture("org.screening.outreach", "com.twilio")) {
            TwilioVoiceAdapter adapter = new TwilioVoiceAdapter(settings, new Capacity(5, 1), executor, clock,
                    new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(4), Duration.ofMinutes(1), false),
                    (d, r) -> { delays.add(d); clock.advance(d); r.run(); });
            adapter.send(new OutboundAttempt(77, "01M84GSPZMCWDZCHMS8DY5DHAP", ChannelKind.VOICE, 1, PHONE, "张三",
                    Category.RED, "510104001001", Instant.parse("2022-04-01T03:00:00Z")), new OutcomeSink() {
                @Override
                public void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details) {
                    reports.add(new Object[] {attemptId, outcome, details});
                }

                @Override
                public void accepted(long attemptId, String providerRef) {
                    accepted.add(attemptId + ":" + providerRef);
                }
            });
            Await.until(row.name(), Duration.ofSeconds(20), () -> !accepted.isEmpty() || !reports.isEmpty());
            executor.shutdown();

            var requests = wm.findAll(postRequestedFor(urlPathEqualTo(PATH)));
            assertThat(requests).hasSize(row.requests());
            for (var r : requests) {
                Map<String, String> form = FormBody.parse(r.getBodyAsString());
                assertThat(form).containsEntry("To", PHONE).containsEntry("From", "+15005550006")
                        .containsEntry("Url", PUBLIC + "/webhooks/twilio/voice/77?lang=zh-CN").containsEntry("Method", "POST")
                        .containsEntry("StatusCallback", PUBLIC + "/webhooks/twilio/voice/status?attemptId=77")
                        .containsEntry("StatusCallbackMethod", "POST").containsEntry("Timeout", "25")
                        .containsEntry("TimeLimit", "600");
                if (row.machineDetection()) assertThat(form).containsEntry("MachineDetection", "Enable");
                else assertThat(form).doesNotContainKey("MachineDetection");
            }
            if (row.acceptedSid() != null) {
                assertThat(accepted).containsExactly("77:" + row.acceptedSid());
                assertThat(reports).isEmpty();
            } else {
                assertThat(accepted).isEmpty();
                assertThat(reports).hasSize(1);
                assertThat(reports.get(0)[1]).isEqualTo(AttemptOutcome.FAILED);
                @SuppressWarnings("unchecked")
                Map<String, Object> details = (Map<String, Object>) reports.get(0)[2];
                assertThat(details).containsAllEntriesOf(row.failure());
            }
            assertThat(delays).hasSize(row.requests() - 1);
            if (!delays.isEmpty()) {
                if (row.firstWait() != null) assertThat(delays.get(0)).isEqualTo(row.firstWait());
                else assertThat(delays.get(0).toMillis()).as("backoff").isBetween(500L, 1000L);
            }
            assertThat(String.join("\n", logs.lines())).doesNotContain(PHONE).doesNotContain("13800138000");
        }
    }

    static ResponseDefinitionBuilder created(String sid) {
        return aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                {"account_sid":"%s","sid":"%s","status":"queued","to":"%s","from":"+15005550006",
                 "direction":"outbound-api","date_created":"Fri, 01 Apr 2022 01:00:00 +0000"}""".formatted(SID, sid, PHONE));
    }

    static ResponseDefinitionBuilder error(int status, int code, String message) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody("""
                {"code":%d,"message":"%s","more_info":"https://www.twilio.com/docs/errors/%d","status":%d}"""
                .formatted(code, message, code, status));
    }

}
