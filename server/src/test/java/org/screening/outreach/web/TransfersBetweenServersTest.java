package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.ledger.feed.FeedSignature;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MutableClock;

/**
 * Two servers side by side on loopback, as two jurisdictions run them: Chengdu (5101) hands a person to Chongqing
 * (5001), Chongqing opens a case with provenance and acknowledges within the hour. Also what each side refuses.
 */
@Tag("db")
class TransfersBetweenServersTest {
    static final String KEY = "8899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677";
    static final MutableClock clock = new MutableClock(Instant.parse("2022-04-01T02:00:00Z"));
    static MariaDbExtension.TestDb chengduDb;
    static MariaDbExtension.TestDb chongqingDb;
    static OutreachServer chengdu;
    static OutreachServer chongqing;
    static Http cd;
    static Http cq;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        chengduDb = MariaDbExtension.freshSchema();
        chongqingDb = MariaDbExtension.freshSchema();
        int cdPort = freePort();
        int cqPort = freePort();
        // 50 (not 5001) routes every Chongqing-municipality code to the 5001 server, which takes only its own.
        chengdu = OutreachServer.start(ConfigLoader.fromMap(settings(cdPort, chengduDb, dir.resolve("cd"), "5101",
                "50=http://127.0.0.1:" + cqPort, "50")), clock);
        chongqing = OutreachServer.start(ConfigLoader.fromMap(settings(cqPort, chongqingDb, dir.resolve("cq"), "5001",
                "5101=http://127.0.0.1:" + cdPort, "5101")), clock);
        cd = new Http(chengdu.port());
        cq = new Http(chongqing.port());
    }

    static Map<String, String> settings(int port, MariaDbExtension.TestDb db, Path dir, String own, String peers,
                                        String peerPrefix) {
        Map<String, String> s = new HashMap<>(Map.of("OUTREACH_HTTP_PORT", Integer.toString(port),
                "OUTREACH_DB_URL", db.url(), "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(),
                "OUTREACH_JURISDICTION", own, "OUTREACH_TRANSFER_PEERS", peers));
        s.put("OUTREACH_TRANSFER_KEY_" + peerPrefix, KEY);
        s.put("OUTREACH_SIM_ANSWER_PERCENT", "0"); // nobody answers: the cases stay open for the test to move
        s.put("OUTREACH_SIM_BUSY_PERCENT", "0");
        s.put("OUTREACH_SIM_NO_ANSWER_PERCENT", "100");
        return s;
    }

    @AfterAll
    static void stop() {
        if (chengdu != null) chengdu.stop();
        if (chongqing != null) chongqing.stop();
        chengduDb.close();
        chongqingDb.close();
    }

    @Test
    void aPersonHandedToTheirHomeJurisdictionBecomesACaseThereAndIsAcknowledgedWithinTheHour() {
        String caseId = push(cd, "TB1", "13900007001", "510104001001", "en");
        Http.Reply made = cd.postJson("/api/v1/cases/" + caseId + "/transfer", "t",
                new JsonObject().put("jurisdiction", "500101001001").put("reason", "电话初查：常住重庆渝中区"));
        assertThat(made.status()).isEqualTo(201);
        String transferId = made.json().getString("id");
        assertThat(made.json().getString("status")).isIn("SENDING", "DELIVERED", "ACKNOWLEDGED");

        Await.until("Chongqing acknowledges", Duration.ofSeconds(30),
                () -> "ACKNOWLEDGED".equals(outgoing(cd, transferId).getString("status")));
        JsonObject out = outgoing(cd, transferId);
        String theirCase = out.getString("peerCaseId");
        assertThat(out.getString("acknowledgedAt")).isNotNull();
        assertThat(out.getValue("escalatedAt")).isNull();

        JsonObject there = cq.get("/api/v1/cases/" + theirCase, "t").json();
        assertThat(there.getString("jurisdiction")).isEqualTo("500101001001");
        assertThat(there.getString("source")).isEqualTo("transfer:5101");
        assertThat(there.getString("category")).isEqualTo("RED");
        assertThat(there.getString("language")).as("reminded and called in English there too").isEqualTo("en");
        List<String> theirTypes = types(cq, theirCase);
        assertThat(theirTypes).contains("RECEIVED", "TRANSFER_RECEIVED");
        JsonObject received = event(cq, theirCase, "TRANSFER_RECEIVED");
        assertThat(received.getJsonObject("data").getString("fromCase")).isEqualTo(caseId);
        assertThat(received.getJsonObject("data").getString("from")).isEqualTo("5101");
        Await.until("Chongqing's acknowledgement is recorded as sent", Duration.ofSeconds(30),
                () -> "ACK_SENT".equals(find(cq, "in", transferId).getString("status")));

        JsonObject here = cd.get("/api/v1/cases/" + caseId, "t").json();
        assertThat(here.getString("status")).isEqualTo("TRANSFERRED");
        assertThat(types(cd, caseId)).contains("TRANSFER_CREATED", "TRANSFER_ACKNOWLEDGED");
        assertThat(event(cd, caseId, "TRANSFER_ACKNOWLEDGED").getJsonObject("data").getBoolean("withinHour")).isTrue();
        assertThat(cd.get("/metrics", null).body()).contains("transfers_awaiting_ack 0.0");
    }

    @Test
    void aCasePushedHereForAnotherJurisdictionIsHandedOverWithoutBeingContacted() {
        // The province pushed a Chongqing person here, with no name (intake takes a row without one).
        String caseId = push(cd, "TB6", "13900007006", "500104002003", "", "");
        Await.until("the case is handed over and acknowledged", Duration.ofSeconds(30), () -> types(cd, caseId)
                .contains("TRANSFER_ACKNOWLEDGED"));
        assertThat(cd.get("/api/v1/cases/" + caseId, "t").json().getString("status")).isEqualTo("TRANSFERRED");
        assertThat(types(cd, caseId)).doesNotContain("PLANNED").noneMatch(t -> t.startsWith("SMS_") || t.startsWith("CALL_"));
        JsonObject created = event(cd, caseId, "TRANSFER_CREATED");
        assertThat(created.getJsonObject("data").getString("toJurisdiction")).isEqualTo("500104002003");
        String theirCase = event(cd, caseId, "TRANSFER_ACKNOWLEDGED").getJsonObject("data").getString("peerCase");
        JsonObject there = cq.get("/api/v1/cases/" + theirCase, "t").json();
        assertThat(there.getString("jurisdiction")).isEqualTo("500104002003");
        assertThat(there.getString("name")).isEmpty();

        // The transfer is on the city task force's list (the deployment's own level): it can open the case it chases
        // the receipt of; a county of the city cannot, the case is none of its people.
        String city = token(cd, "成都市专班", "city", "5101");
        String county = token(cd, "锦江区", "county", "510104");
        assertThat(cd.get("/api/v1/cases/" + caseId, city).status()).isEqualTo(200);
        assertThat(cd.get("/api/v1/cases/" + caseId, county).status()).isEqualTo(403);
    }

    static String token(Http server, String name, String role, String jurisdiction) {
        Http.Reply r = server.postJson("/api/v1/tokens", "t", new JsonObject().put("name", name).put("role", role)
                .put("jurisdiction", jurisdiction));
        assertThat(r.status()).isEqualTo(201);
        return r.json().getString("token");
    }

    /**
     * A transfer that took 40 minutes to arrive has 20 left: the receiver keeps the sender's hour, so its staff see it
     * late when it is. A time the receiver cannot read is a clear 400.
     */
    @Test
    void theReceiverKeepsTheSendersHourForTheReceipt() {
        String transferId = "01GZZZZZZZZZZZZZZZZZZZZZZQ";
        Instant ackBy = clock.instant().plus(Duration.ofMinutes(20));
        JsonObject transfer = new JsonObject().put("schema", "outreach.transfer/1").put("transferId", transferId)
                .put("from", new JsonObject().put("jurisdiction", "5101").put("caseId", "01GYYYYYYYYYYYYYYYYYYYYYYQ"))
                .put("to", new JsonObject().put("jurisdiction", "500102000000")).put("reason", "住址在重庆")
                .put("person", new JsonObject().put("name", "王五").put("phone", "+8613900007012").put("category", "RED"))
                .put("history", new JsonArray());
        byte[] body = transfer.copy().put("ackBy", "2022-04-01T10:20").encode().getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> unreadable = peerPost(chongqing.port(), "/api/v1/transfers", "5101",
                new FeedSignature(HexFormat.of().parseHex(KEY)).sign(body), body);
        assertThat(unreadable.statusCode()).isEqualTo(400);
        assertThat(unreadable.body()).contains("ackBy");

        body = transfer.put("ackBy", ackBy.toString()).encode().getBytes(StandardCharsets.UTF_8);
        assertThat(peerPost(chongqing.port(), "/api/v1/transfers", "5101",
                new FeedSignature(HexFormat.of().parseHex(KEY)).sign(body), body).statusCode()).isEqualTo(201);
        assertThat(java.time.OffsetDateTime.parse(find(cq, "in", transferId).getString("ackBy")).toInstant())
                .isEqualTo(ackBy);
    }

    @Test
    void aRepeatedDeliveryFindsTheSameCaseAndForgedOrUnknownRequestsAreRefused() {
        String transferId = "01GZZZZZZZZZZZZZZZZZZZZZZZ";
        byte[] body = new JsonObject().put("schema", "outreach.transfer/1").put("transferId", transferId)
                .put("from", new JsonObject().put("jurisdiction", "5101").put("caseId", "01GYYYYYYYYYYYYYYYYYYYYYYY"))
                .put("to", new JsonObject().put("jurisdiction", "500102000000")).put("reason", "住址在重庆")
                .put("person", new JsonObject().put("name", "李四").put("phone", "+8613900007002").put("category", "YELLOW"))
                .put("history", new JsonArray()).encode().getBytes(StandardCharsets.UTF_8);
        String signature = new FeedSignature(HexFormat.of().parseHex(KEY)).sign(body);

        HttpResponse<String> first = peerPost(chongqing.port(), "/api/v1/transfers", "5101", signature, body);
        HttpResponse<String> again = peerPost(chongqing.port(), "/api/v1/transfers", "5101", signature, body);
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(again.body()).getString("caseId")).isEqualTo(new JsonObject(first.body()).getString("caseId"));

        assertThat(peerPost(chongqing.port(), "/api/v1/transfers", "5101", "sha256=00", body).statusCode()).isEqualTo(403);
        assertThat(peerPost(chongqing.port(), "/api/v1/transfers", "4401", signature, body).statusCode()).isEqualTo(403);
        assertThat(peerPost(chongqing.port(), "/api/v1/transfers", null, signature, body).statusCode()).isEqualTo(403);
        byte[] junk = "{\"schema\":\"outreach.transfer/1\"}".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> malformed = peerPost(chongqing.port(), "/api/v1/transfers", "5101",
                new FeedSignature(HexFormat.of().parseHex(KEY)).sign(junk), junk);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(new JsonObject(malformed.body()).getString("message")).contains("from");

        // An acknowledgement of a transfer Chengdu never made, and one for a real transfer from the wrong peer.
        byte[] ack = new JsonObject().put("schema", "outreach.transfer-ack/1").put("transferId", transferId)
                .put("caseId", "X").encode().getBytes(StandardCharsets.UTF_8);
        String ackSignature = new FeedSignature(HexFormat.of().parseHex(KEY)).sign(ack);
        assertThat(peerPost(chengdu.port(), "/api/v1/transfers/" + transferId + "/ack", "5001", ackSignature, ack)
                .statusCode()).isEqualTo(404);
        assertThat(peerPost(chengdu.port(), "/api/v1/transfers/" + transferId + "/ack", "5001", "sha256=ab", ack)
                .statusCode()).isEqualTo(403);
    }

    @Test
    void aJurisdictionTheReceiverDoesNotServeIsRefusedThereAndEscalatedHere() {
        String caseId = push(cd, "TB3", "13900007003", "510104001001");
        Http.Reply made = cd.postJson("/api/v1/cases/" + caseId + "/transfer", "t",
                new JsonObject().put("jurisdiction", "500200").put("reason", "县里说在万州")); // 5002: not Chongqing's 5001
        assertThat(made.status()).isEqualTo(201);
        String transferId = made.json().getString("id");
        Await.until("the refusal comes back", Duration.ofSeconds(30),
                () -> "REFUSED".equals(outgoing(cd, transferId).getString("status")));
        JsonObject refused = outgoing(cd, transferId);
        assertThat(refused.getString("lastError")).startsWith("HTTP 422").contains("jurisdiction");
        assertThat(refused.getString("escalatedAt")).isNotNull();
        JsonArray taskForce = cd.get("/api/v1/transfers?escalated=true", "t").json().getJsonArray("transfers");
        assertThat(taskForce.stream().map(o -> ((JsonObject) o).getString("id"))).contains(transferId);
    }

    @Test
    void requestsThatCannotBeTakenGetClearErrors() {
        String caseId = push(cd, "TB4", "13900007004", "510104001001");
        assertThat(cd.postJson("/api/v1/cases/" + caseId + "/transfer", "t",
                new JsonObject().put("jurisdiction", "510105").put("reason", "x")).status()).isEqualTo(400);
        assertThat(cd.postJson("/api/v1/cases/" + caseId + "/transfer", "t",
                new JsonObject().put("jurisdiction", "500101")).json().getString("message")).contains("reason");
        assertThat(cd.postJson("/api/v1/cases/01ARZ3NDEKTSV4RRFFQ69G5FAV/transfer", "t",
                new JsonObject().put("jurisdiction", "500101").put("reason", "x")).status()).isEqualTo(404);
        String otherCounty = cd.postJson("/api/v1/tokens", "t", new JsonObject().put("name", "锦江区")
                .put("role", "county").put("jurisdiction", "510104")).json().getString("token");
        String caseElsewhere = push(cd, "TB5", "13900007005", "510105001001");
        assertThat(cd.postJson("/api/v1/cases/" + caseElsewhere + "/transfer", otherCounty,
                new JsonObject().put("jurisdiction", "500101").put("reason", "x")).status()).isEqualTo(403);
        assertThat(cd.get("/api/v1/transfers?direction=sideways", "t").status()).isEqualTo(400);
        assertThat(cd.postJson("/api/v1/cases/" + caseId + "/transfer", "t",
                new JsonObject().put("jurisdiction", "500101").put("reason", "x")).status()).isEqualTo(201);
        Http.Reply twice = cd.postJson("/api/v1/cases/" + caseId + "/transfer", "t",
                new JsonObject().put("jurisdiction", "500101").put("reason", "x"));
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().getString("message")).contains("TRANSFERRED");
    }

    static String push(Http http, String externalId, String phone, String jurisdiction) {
        return push(http, externalId, phone, jurisdiction, "");
    }

    static String push(Http http, String externalId, String phone, String jurisdiction, String language) {
        return push(http, externalId, phone, jurisdiction, language, "张三");
    }

    static String push(Http http, String externalId, String phone, String jurisdiction, String language, String name) {
        JsonArray rows = new JsonArray().add(new JsonObject().put("externalId", externalId).put("name", name)
                .put("phone", phone).put("category", "RED").put("jurisdiction", jurisdiction).put("language", language));
        return http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "province").put("cases", rows))
                .json().getJsonArray("cases").getJsonObject(0).getString("id");
    }

    static JsonObject outgoing(Http http, String id) {
        return find(http, "out", id);
    }

    static JsonObject find(Http http, String direction, String id) {
        for (Object o : http.get("/api/v1/transfers?direction=" + direction, "t").json().getJsonArray("transfers")) {
            if (((JsonObject) o).getString("id").equals(id)) return (JsonObject) o;
        }
        throw new AssertionError("no transfer " + id);
    }

    static List<String> types(Http http, String caseId) {
        return events(http, caseId).stream().map(o -> ((JsonObject) o).getString("type")).toList();
    }

    static JsonObject event(Http http, String caseId, String type) {
        return (JsonObject) events(http, caseId).stream().filter(o -> ((JsonObject) o).getString("type").equals(type))
                .findFirst().orElseThrow();
    }

    static JsonArray events(Http http, String caseId) {
        return http.get("/api/v1/cases/" + caseId + "?events=true", "t").json().getJsonArray("events");
    }

    static HttpResponse<String> peerPost(int port, String path, String peer, String signature, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header(FeedSignature.HEADER, signature).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (peer != null) b.header("X-Outreach-Jurisdiction", peer);
        try {
            return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
