package org.screening.outreach.web.webhooks;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.FormBody;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * Calls placed through the real Twilio SDK against a WireMock "Twilio", then answered by replaying, signed, the
 * webhooks Twilio would send, as the files under {@code src/test/resources/twilio/voice-calls/} describe (format
 * in that directory's README.md): request → expected TwiML → what the case's ledger says afterwards.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class TwilioVoiceCallTest {
    static final Path DIR = Path.of("src", "test", "resources", "twilio", "voice-calls");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String TOKEN = "tok3n5ecret9f8e7d6c5b4a39281706f";
    static final String PUBLIC = "https://outreach.example.cn";
    static final String CALL_SID = "CA0123456789abcdef0123456789abcdef";
    static final AtomicInteger PHONES = new AtomicInteger(9100);
    static final Pattern ACTION = Pattern.compile("action=\"([^\"]+)\"");

    @TempDir
    static Path dir;
    static WireMockServer twilio;
    static OutreachServer server;
    static Http http;
    static TwilioTestRequests signed;

    @BeforeAll
    static void start(TestDb db) {
        twilio = new WireMockServer(options().dynamicPort());
        twilio.start();
        twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/" + SID + "/Calls.json")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"account_sid":"%s","sid":"%s","status":"queued","to":"+8613800000000",
                         "from":"+15005550006","direction":"outbound-api",
                         "date_created":"Fri, 01 Apr 2022 01:00:00 +0000"}""".formatted(SID, CALL_SID))));
        MutableClock clock = new MutableClock(ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
        Map<String, String> settings = new HashMap<>(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(), "OUTREACH_PUBLIC_URL", PUBLIC,
                "OUTREACH_VOICE_PROVIDER", "twilio", "TWILIO_ACCOUNT_SID", SID, "TWILIO_AUTH_TOKEN", TOKEN,
                "TWILIO_FROM", "+15005550006", "TWILIO_API_BASE", "http://127.0.0.1:" + twilio.port()));
        settings.put("OUTREACH_TWILIO_CALLS_PER_SECOND", "50");
        server = OutreachServer.start(ConfigLoader.fromMap(settings), clock);
        http = new Http(server.port());
        signed = new TwilioTestRequests(server.port(), PUBLIC, TOKEN);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (twilio != null) twilio.stop();
    }

    @TestFactory
    Stream<DynamicTest> calls() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> play(f)));
    }

    @Test
    void forgedOrUnsignedWebhooksAreRefusedAndRecordNothing() {
        PlacedCall call = placeCall("黄码", "王五");
        Map<String, String> form = Map.of("CallSid", CALL_SID, "AccountSid", SID, "Digits", "1");
        String path = call.url().getRawPath();
        assertThat(signed.post(path, form, null).status()).isEqualTo(403);
        assertThat(signed.post(path, form, TwilioTestRequests.sign("not-the-token", PUBLIC + path, form)).status())
                .isEqualTo(403);
        String status = call.status().getRawPath() + "?" + call.status().getRawQuery();
        Map<String, String> completed = Map.of("CallSid", CALL_SID, "CallStatus", "completed");
        assertThat(signed.post(status, completed, TwilioTestRequests.sign(TOKEN, PUBLIC + status,
                Map.of("CallSid", CALL_SID, "CallStatus", "busy"))).status()).as("signature of other fields").isEqualTo(403);
        Http.Reply refused = signed.post(status, completed, "bm90IGEgc2lnbmF0dXJl");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().getString("error")).isEqualTo("forbidden");
        assertThat(types(call.caseId())).doesNotContain("IVR_ANSWER").noneMatch(t -> t.startsWith("CALL_"));
        assertThat(caseJson(call.caseId()).getString("status")).isEqualTo("CONTACTING");
    }

    @Test
    void aCallWebhookForAnAttemptThatIsNoCallHangsUp() {
        Http.Reply reply = signed.post("/webhooks/twilio/voice/987654321", Map.of("CallSid", CALL_SID, "AccountSid", SID));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("<Hangup/>").doesNotContain("<Say");
        assertThat(signed.post("/webhooks/twilio/voice/abc", Map.of("CallSid", CALL_SID)).status()).isEqualTo(404);
    }

    record PlacedCall(String caseId, String phone, URI url, URI status, Map<String, String> request) {}

    /** Pushes a case with a phone of its own and waits until its first call reaches the Twilio stub. */
    static PlacedCall placeCall(String category, String name) {
        return placeCall(category, name, null);
    }

    /** {@code language} null: the case is pushed without one. */
    static PlacedCall placeCall(String category, String name, String language) {
        String phone = "1380000" + PHONES.incrementAndGet();
        JsonArray rows = new JsonArray().add(new JsonObject().put("externalId", "V" + phone).put("name", name)
                .put("phone", phone).put("category", category).put("jurisdiction", "510104001001")
                .put("language", language));
        String caseId = http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "voice-test").put("cases", rows))
                .json().getJsonArray("cases").getJsonObject(0).getString("id");
        Map<String, String>[] found = new Map[1];
        Await.until("the call to " + phone + " reached Twilio", Duration.ofSeconds(20), () -> {
            found[0] = twilio.findAll(postRequestedFor(urlPathMatching(".*/Calls.json"))).stream()
                    .map(r -> FormBody.parse(r.getBodyAsString()))
                    .filter(f -> f.get("To").equals("+86" + phone)).findFirst().orElse(null);
            return found[0] != null;
        });
        Map<String, String> req = found[0];
        assertThat(req.get("From")).isEqualTo("+15005550006");
        assertThat(req.get("MachineDetection")).isEqualTo("Enable");
        assertThat(req.get("Url")).matches(Pattern.quote(PUBLIC + "/webhooks/twilio/voice/") + "\\d+\\?lang="
                + Pattern.quote(language == null ? "zh-CN" : language));
        assertThat(req.get("StatusCallback")).startsWith(PUBLIC + "/webhooks/twilio/voice/status?attemptId=");
        return new PlacedCall(caseId, phone, URI.create(req.get("Url")), URI.create(req.get("StatusCallback")), req);
    }

    static void play(Path file) throws IOException {
        JsonNode c = YAML.readTree(file.toFile());
        PlacedCall call = placeCall(c.get("category").asText(), c.path("name").asText("张三"),
                c.path("language").asText(null));
        String next = call.url().getRawPath() + "?" + call.url().getRawQuery();
        String lastPath = null;
        Map<String, String> lastForm = null;
        String previous = null;
        int n = 0;
        for (JsonNode step : c.get("steps")) {
            n++;
            String kind = step.get("request").asText();
            String where = file.getFileName() + " step " + n + " (" + kind + ")";
            Map<String, String> fields = new LinkedHashMap<>(Map.of("CallSid", CALL_SID, "AccountSid", SID));
            step.path("form").fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue().asText()));
            Map<String, String> form = kind.equals("replay") ? lastForm : fields;
            String path = switch (kind) {
                case "answer" -> {
                    form.putIfAbsent("CallStatus", "in-progress");
                    yield call.url().getRawPath() + "?" + call.url().getRawQuery();
                }
                case "keys" -> {
                    form.put("Digits", step.get("keys").asText());
                    yield next;
                }
                case "silence" -> next;
                case "status" -> call.status().getRawPath() + "?" + call.status().getRawQuery();
                case "replay" -> lastPath;
                default -> throw new IllegalArgumentException(where + ": unknown request");
            };
            Http.Reply reply = signed.post(path, form);
            lastPath = path;
            lastForm = form;
            if (path.startsWith("/webhooks/twilio/voice/status")) {
                assertThat(reply.status()).as(where).isEqualTo(204);
                continue;
            }
            assertThat(reply.status()).as(where).isEqualTo(200);
            String twiml = reply.body();
            if (step.path("same_as_previous").asBoolean()) assertThat(twiml).as(where + ": replayed TwiML").isEqualTo(previous);
            assertInOrder(where, twiml, step.path("says"));
            step.path("not_says").forEach(s -> assertThat(twiml).as(where).doesNotContain(s.asText()));
            switch (step.path("then").asText("")) {
                case "gather" -> assertThat(twiml).as(where).contains("<Gather").doesNotContain("<Hangup/>");
                case "hangup" -> assertThat(twiml).as(where).contains("<Hangup/>").doesNotContain("<Gather");
                default -> { }
            }
            Matcher m = ACTION.matcher(twiml);
            if (m.find()) {
                URI action = URI.create(m.group(1).replace("&amp;", "&"));
                assertThat(action.toString()).as(where + ": action on the public URL").startsWith(PUBLIC + call.url().getRawPath());
                next = action.getRawPath() + "?" + action.getRawQuery();
            }
            previous = twiml;
        }
        checkResult(file.getFileName().toString(), call, c.get("result"));
    }

    static void checkResult(String where, PlacedCall call, JsonNode r) {
        String callEvent = r.get("call_event").asText();
        Await.until(where + ": " + callEvent + " recorded", Duration.ofSeconds(10), () -> types(call.caseId()).contains(callEvent));
        JsonObject kase = caseJson(call.caseId());
        List<JsonObject> events = kase.getJsonArray("events").stream().map(e -> (JsonObject) e).toList();
        assertThat(kase.getString("status")).as(where + ": case status").isEqualTo(r.get("case_status").asText());
        assertThat(events.stream().filter(e -> e.getString("type").startsWith("CALL_")).map(e -> e.getString("type")))
                .as(where + ": one call outcome").containsExactly(callEvent);

        Map<String, String> expected = new LinkedHashMap<>();
        r.get("answers").fields().forEachRemaining(e -> expected.put(e.getKey(), e.getValue().asText()));
        List<JsonObject> answers = events.stream().filter(e -> e.getString("type").equals("IVR_ANSWER")).toList();
        Map<String, String> got = new LinkedHashMap<>();
        answers.forEach(a -> got.put(a.getJsonObject("data").getString("key"), a.getJsonObject("data").getString("value")));
        assertThat(answers).as(where + ": no answer recorded twice").hasSize(got.size());
        assertThat(got).as(where + ": answers in the ledger").isEqualTo(expected);

        if (r.has("late_answers")) {
            Map<String, String> late = new LinkedHashMap<>();
            r.get("late_answers").fields().forEachRemaining(e -> late.put(e.getKey(), e.getValue().asText()));
            Map<String, String> gotLate = new LinkedHashMap<>();
            answers.stream().filter(a -> a.getJsonObject("data").getBoolean("late", false)).forEach(a ->
                    gotLate.put(a.getJsonObject("data").getString("key"), a.getJsonObject("data").getString("value")));
            assertThat(gotLate).as(where + ": answers marked late").isEqualTo(late);
        }

        List<String> types = events.stream().map(e -> e.getString("type")).toList();
        List<String> order = new ArrayList<>();
        r.get("events").forEach(t -> order.add(t.asText()));
        assertThat(types).as(where + ": ledger order").containsSubsequence(order);

        JsonObject settled = events.stream().filter(e -> e.getString("type").equals(callEvent)).findFirst().orElseThrow()
                .getJsonObject("data");
        r.path("details").fields().forEachRemaining(e -> assertThat(String.valueOf(settled.getValue(e.getKey())))
                .as(where + ": " + e.getKey()).isEqualTo(e.getValue().asText()));
        assertThat(settled.encode()).as(where + ": no phone in the ledger data").doesNotContain(call.phone());

        Optional.ofNullable(r.get("door_knock")).ifPresent(reason -> assertThat(events.stream()
                .filter(e -> e.getString("type").equals("DOOR_KNOCK_CREATED"))
                .map(e -> e.getJsonObject("data").getString("reason"))).as(where).containsExactly(reason.asText()));
    }

    static void assertInOrder(String where, String text, JsonNode fragments) {
        int from = 0;
        for (JsonNode f : fragments) {
            int at = text.indexOf(f.asText(), from);
            assertThat(at).as(where + ": says \"" + f.asText() + "\" after position " + from + " in " + text).isGreaterThanOrEqualTo(0);
            from = at + f.asText().length();
        }
    }

    static JsonObject caseJson(String id) {
        return http.get("/api/v1/cases/" + id, "t").json();
    }

    static List<String> types(String id) {
        return caseJson(id).getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList();
    }
}
