package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.web.webhooks.TwilioTestRequests;

/**
 * A corpus of bad input thrown at every endpoint that takes a body or a parameter: random bytes, wrong
 * encodings, wrong JSON shapes, missing and huge fields, SQL and HTML in every text field. Whatever comes in, the
 * answer is never a 5xx, an API error is JSON {error, message}, and no reply shows a stack trace. The corpus is
 * drawn from a fixed seed, so a failure names a payload that can be replayed.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class BadInputTest {
    static final String ADMIN = "bad-input-admin";
    static final String TWILIO_TOKEN = "tok3n5ecret9f8e7d6c5b4a39281706f";
    static final String PUBLIC = "https://outreach.example.cn";
    static final List<String> NASTY = List.of("", " ", "null", "0", "-1", "1e309", "NaN", "99999999999999999999999",
            "' OR 1=1 --", "'; DROP TABLE cases; --", "\" onmouseover=alert(1) x=\"", "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/x}", "#set($x=1)$x", "../../etc/passwd", "%00", "\u0000", "\ud800",
            "😀".repeat(300), "张".repeat(5000), "9".repeat(70_000), "1380013800０", "+86 138 0013 8000",
            "2022-13-45T25:61:00+08:00", "RED", "红码", "UNDER_CONTROL", "510104001001", "51010400100Z");
    static OutreachServer server;
    static Http http;
    static TwilioTestRequests twilio;
    static String caseId;
    final Random random = new Random(20221123);
    final List<String> failures = new ArrayList<>();

    @BeforeAll
    static void start(TestDb db, @TempDir Path dataDir) {
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dataDir.toString(), "OUTREACH_PUBLIC_URL", PUBLIC,
                "TWILIO_AUTH_TOKEN", TWILIO_TOKEN, "OUTREACH_MAX_IMPORT_MB", "1", "OUTREACH_MAX_JSON_MB", "1",
                "OUTREACH_DISPATCH", "off")), Clock.systemUTC());
        http = new Http(server.port());
        twilio = new TwilioTestRequests(server.port(), PUBLIC, TWILIO_TOKEN);
        JsonObject row = new JsonObject().put("externalId", "B1").put("name", "张三").put("phone", "13800138000")
                .put("category", "黄码").put("jurisdiction", "510104001001");
        caseId = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "bad-input")
                .put("cases", new JsonArray().add(row))).json().getJsonArray("cases").getJsonObject(0).getString("id");
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @Test
    void jsonEndpointsAnswerBadBodiesWithJsonErrors() {
        List<String> paths = List.of("/api/v1/cases", "/api/v1/cases/" + caseId + "/verify",
                "/api/v1/cases/" + caseId + "/close", "/api/v1/cases/" + caseId + "/results",
                "/api/v1/cases/" + nastyShort() + "/results", "/api/v1/door-knocks/1/assign", "/api/v1/door-knocks/1/outcome",
                "/api/v1/door-knocks/abc/outcome", "/api/v1/tokens", "/api/v1/cases/" + caseId + "/transfer",
                "/api/v1/transfers", "/api/v1/transfers/" + nastyShort() + "/ack", "/api/v1/ledger/deliveries/1/skip");
        for (String path : paths) {
            for (int i = 0; i < 40; i++) {
                byte[] body = jsonBody(i);
                String type = i % 7 == 0 ? "text/plain" : "application/json";
                check("POST " + path + " #" + i, http.post(safePath(path), ADMIN, type, body), true);
            }
        }
        for (int i = 0; i < 40; i++) {
            String type = i % 7 == 0 ? "text/plain" : "application/json";
            check("PUT communities #" + i, http.put("/api/v1/communities", ADMIN, type, jsonBody(i)), true);
        }
    }

    @Test
    void overLongFreeTextIsRefusedWithA400AndChangesNothing() {
        String book = "张".repeat(30_000); // 90 KB of UTF-8: more than the ledger keeps for one event
        JsonObject person = new JsonObject().put("externalId", "LONG0").put("name", "张三").put("phone", "13800138008")
                .put("category", "黄码").put("jurisdiction", "510104001001");
        String caseId = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "long")
                .put("cases", new JsonArray().add(person))).json().getJsonArray("cases").getJsonObject(0).getString("id");
        Http.Reply verify = http.postJson("/api/v1/cases/" + caseId + "/verify", ADMIN,
                new JsonObject().put("method", "phone").put("note", book));
        assertThat(verify.status()).isEqualTo(400);
        assertThat(verify.json().getString("message")).isEqualTo("note is longer than 500 characters");
        Http.Reply result = http.postJson("/api/v1/cases/" + caseId + "/results", ADMIN,
                new JsonObject().put("result", "home_isolation").put("system", "x").put("note", book));
        assertThat(result.status()).isEqualTo(400);
        JsonObject team = new JsonObject().put("cadre", "李").put("healthWorker", "王").put("police", "赵");
        assertThat(http.postJson("/api/v1/door-knocks/1/outcome", ADMIN, new JsonObject().put("outcome", "FOUND_VERIFIED")
                .put("team", team).put("note", book)).status()).isEqualTo(400);
        assertThat(http.postJson("/api/v1/door-knocks/1/outcome", ADMIN, new JsonObject().put("outcome", "FOUND_VERIFIED")
                .put("team", team.copy().put("police", "赵".repeat(51)))).status()).isEqualTo(400);
        JsonObject after = http.get("/api/v1/cases/" + caseId, ADMIN).json();
        assertThat(after.getString("status")).isEqualTo("NEW");
        assertThat(after.getJsonArray("events").size()).isEqualTo(1);

        // A token's name becomes the ledger's actor ("token:" + name): the longest allowed still writes.
        String longest = "区".repeat(94);
        assertThat(http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", longest + "区").put("role", "city")
                .put("jurisdiction", "5101")).status()).isEqualTo(400);
        Http.Reply token = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", longest).put("role", "city")
                .put("jurisdiction", "5101"));
        assertThat(token.status()).isEqualTo(201);
        JsonObject row = new JsonObject().put("externalId", "LONG1").put("name", "张三").put("phone", "13800138009")
                .put("category", "黄码").put("jurisdiction", "510104001001");
        assertThat(http.postJson("/api/v1/cases", token.json().getString("token"), new JsonObject().put("source", "long")
                .put("cases", new JsonArray().add(row))).json().getInteger("accepted")).isEqualTo(1);
    }

    @Test
    void importAnswersBadFilesWithJsonErrors() throws Exception {
        String[] types = {"text/csv", "text/csv; charset=gbk", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/octet-stream", "application/json", "image/png"};
        for (int i = 0; i < 60; i++) {
            byte[] body = i % 3 == 0 ? randomBytes(random.nextInt(5000)) : csv(i);
            String what = "import #" + i + " (" + types[i % types.length] + ", " + body.length + " bytes)";
            try {
                check(what, http.post("/api/v1/cases/import", ADMIN, types[i % types.length], body), true);
            } catch (java.io.UncheckedIOException e) {
                throw new AssertionError(what + ": no answer", e);
            }
        }
        // An XLSX header (a zip) that goes nowhere, and one megabyte and more.
        check("import zip head", http.post("/api/v1/cases/import", ADMIN, types[2], new byte[] {'P', 'K', 3, 4, 0, 0}), true);
        // Too big: the answer comes from the declared length, before any of the body is read.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST /api/v1/cases/import HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + ADMIN + "\r\nContent-Type: text/csv\r\nContent-Length: " + (1024 * 1024 + 10) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
    }

    @Test
    void readEndpointsAnswerBadParametersWithJsonErrors() {
        String[] params = {"status", "category", "jurisdiction", "limit", "after", "q", "reveal", "source"};
        for (int i = 0; i < 80; i++) {
            String query = params[i % params.length] + "=" + enc(nastyShort()) + "&" + params[random.nextInt(params.length)]
                    + "=" + enc(nastyShort());
            check("GET cases?" + i, http.get("/api/v1/cases?" + query, ADMIN), true);
            check("GET case #" + i, http.get("/api/v1/cases/" + enc(nastyShort()) + "?reveal=" + enc(nastyShort()), ADMIN), true);
            check("GET door-knocks #" + i, http.get("/api/v1/door-knocks?" + query, ADMIN), true);
            check("GET transfers #" + i, http.get("/api/v1/transfers?" + query + "&direction=" + enc(nastyShort())
                    + "&escalated=" + enc(nastyShort()), ADMIN), true);
        }
        // Days the ISO parser takes but no ledger holds: the next midnight overflows an Instant.
        for (String day : List.of("+999999999-12-31", "-999999999-01-01", "0000-01-01", "9999-12-31")) {
            for (String path : List.of("/api/v1/reports/daily?date=", "/api/v1/ledger/export?format=csv&from=",
                    "/api/v1/ledger/export?format=csv&to=")) {
                Http.Reply r = http.get(path + enc(day), ADMIN);
                check("GET " + path + day, r, true);
                assertThat(r.status()).as(path + day).isEqualTo(400);
            }
        }
    }

    @Test
    void signedWebhooksWithNonsenseFieldsNeverFail() {
        List<String> paths = List.of("/webhooks/twilio/sms/status?attemptId=" + enc(nastyShort()), "/webhooks/twilio/sms/status?attemptId=1",
                "/webhooks/twilio/sms/inbound", "/webhooks/twilio/voice/1", "/webhooks/twilio/voice/1?seen=" + enc(nastyShort()),
                "/webhooks/twilio/voice/" + enc(nastyShort()), "/webhooks/twilio/voice/status?attemptId=" + enc(nastyShort()),
                "/webhooks/twilio/voice/status?attemptId=1");
        String[] fields = {"MessageSid", "MessageStatus", "ErrorCode", "From", "To", "Body", "CallSid", "CallStatus",
                "Digits", "AnsweredBy", "CallDuration", "AccountSid"};
        for (String path : paths) {
            for (int i = 0; i < 30; i++) {
                Map<String, String> form = new LinkedHashMap<>();
                for (String f : fields) if (random.nextBoolean()) form.put(f, nasty().replace("\u0000", "").replace("\ud800", ""));
                check("POST " + path + " #" + i, twilio.post(path, form), false);
            }
        }
    }

    @Test
    void selfReportFormsWithNonsenseNeverFail() {
        String[] fields = {"identity", "in_city", "address", "district", "travel_7d", "arrival_date", "health_code"};
        for (int i = 0; i < 60; i++) {
            StringBuilder form = new StringBuilder();
            for (String f : fields) if (random.nextBoolean()) form.append(f).append('=').append(enc(nasty())).append('&');
            check("POST /r #" + i, http.post("/r/" + enc("x" + nastyShort()), null,
                    "application/x-www-form-urlencoded", form.toString().getBytes(StandardCharsets.UTF_8)), false);
            check("GET /r #" + i, http.get("/r/" + enc("x" + nastyShort()), null), false);
        }
    }

    // ---- the corpus ----

    /** A value for a URL: the corpus cut to what fits a request line (a longer line is refused by the HTTP layer). */
    String nastyShort() {
        String v = nasty();
        return v.length() > 200 ? v.substring(0, 200) : v;
    }

    String nasty() {
        return random.nextInt(4) == 0 ? new String(randomBytes(random.nextInt(64)), StandardCharsets.ISO_8859_1)
                : NASTY.get(random.nextInt(NASTY.size()));
    }

    Object nastyValue() {
        return switch (random.nextInt(8)) {
            case 0 -> null;
            case 1 -> random.nextLong();
            case 2 -> new JsonArray().add(nasty());
            case 3 -> new JsonObject().put(nasty(), nasty());
            case 4 -> random.nextBoolean();
            case 5 -> -random.nextDouble() * 1e300;
            default -> nasty();
        };
    }

    byte[] jsonBody(int i) {
        String[] keys = {"source", "cases", "externalId", "name", "phone", "idNumber", "category", "jurisdiction",
                "pushedAt", "reason", "result", "system", "note", "close", "team", "outcome", "assignee", "role",
                "jurisdictionPrefix", "name", "admin"};
        return switch (i % 8) {
            case 0 -> randomBytes(random.nextInt(2000));
            case 1 -> "[".repeat(5000).getBytes(StandardCharsets.UTF_8); // nesting deeper than any parser allows
            case 2 -> nasty().getBytes(Charset.forName("GBK"));
            case 3 -> "{\"cases\": [".concat("{},".repeat(3000)).concat("{}]}").getBytes(StandardCharsets.UTF_8);
            default -> {
                JsonObject o = new JsonObject();
                for (String k : keys) if (random.nextInt(3) == 0) o.put(k, nastyValue());
                if (random.nextBoolean()) {
                    JsonObject row = new JsonObject();
                    for (String k : keys) if (random.nextBoolean()) row.put(k, nastyValue());
                    o.put("cases", new JsonArray().add(row).add(nastyValue()));
                }
                yield o.encode().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    byte[] csv(int i) {
        StringBuilder b = new StringBuilder(i % 2 == 0 ? "外部编号,姓名,手机号码,证件号码,风险类别,所属社区,推送时间\n" : "\"unclosed,quote\n");
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 1 + random.nextInt(9); c++) b.append('"').append(nasty().replace("\"", "\"\"")).append("\",");
            b.append('\n');
        }
        return b.toString().getBytes(i % 5 == 0 ? Charset.forName("GBK") : StandardCharsets.UTF_8);
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Path segments drawn from the corpus, encoded as a client would send them. */
    static String safePath(String path) {
        StringBuilder out = new StringBuilder();
        for (String seg : path.split("/", -1)) {
            if (out.length() > 0 || path.startsWith("/")) out.append('/');
            out.append(seg.matches("[A-Za-z0-9_-]*") ? seg : enc(seg));
        }
        return out.toString().replaceFirst("^//", "/");
    }

    void check(String what, Http.Reply reply, boolean api) {
        assertThat(reply.status()).as(what + ": " + abbreviate(reply.body())).isLessThan(500);
        assertThat(reply.body()).as(what).doesNotContain("Exception").doesNotContain("\tat org.");
        if (api && reply.status() >= 400) {
            try {
                JsonObject error = reply.json();
                assertThat(error.getString("error")).as(what + ": error code").isNotBlank();
                assertThat(error.getString("message")).as(what + ": message").isNotBlank();
            } catch (DecodeException e) {
                throw new AssertionError(what + ": not JSON: " + abbreviate(reply.body()));
            }
        }
    }

    static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
