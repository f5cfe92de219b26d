package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MutableClock;

/**
 * The way out of a refused transfer, end to end on loopback: Chongqing refuses Chengdu's transfer because it was
 * set up with another key; once its configuration is fixed, the community that sees the transfer sends the same
 * transfer again (who may see it may retry it, whatever the token's role) and Chongqing acknowledges it.
 */
@Tag("db")
class TransferRetryBetweenServersTest {
    static final String KEY = TransfersBetweenServersTest.KEY;
    static final String WRONG_KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
    final MutableClock clock = new MutableClock(Instant.parse("2022-04-01T02:00:00Z"));
    MariaDbExtension.TestDb chengduDb;
    MariaDbExtension.TestDb chongqingDb;
    OutreachServer chengdu;
    OutreachServer chongqing;

    @AfterEach
    void stop() {
        if (chengdu != null) chengdu.stop();
        if (chongqing != null) chongqing.stop();
        if (chengduDb != null) chengduDb.close();
        if (chongqingDb != null) chongqingDb.close();
    }

    @Test
    void aTransferRefusedForABadPeerConfigurationIsSentAgainByTheTaskForceAndAcknowledged(@TempDir Path dir)
            throws IOException {
        chengduDb = MariaDbExtension.freshSchema();
        chongqingDb = MariaDbExtension.freshSchema();
        int cdPort = TransfersBetweenServersTest.freePort();
        int cqPort = TransfersBetweenServersTest.freePort();
        chengdu = OutreachServer.start(ConfigLoader.fromMap(TransfersBetweenServersTest.settings(cdPort, chengduDb,
                dir.resolve("cd"), "5101", "50=http://127.0.0.1:" + cqPort, "50")), clock);
        Map<String, String> cqSettings = TransfersBetweenServersTest.settings(cqPort, chongqingDb, dir.resolve("cq"),
                "5001", "5101=http://127.0.0.1:" + cdPort, "5101");
        cqSettings.put("OUTREACH_TRANSFER_KEY_5101", WRONG_KEY);
        chongqing = OutreachServer.start(ConfigLoader.fromMap(cqSettings), clock);
        Http cd = new Http(chengdu.port());
        String county = token(cd, "锦江区专班", "county", "510104");
        String otherCounty = token(cd, "成华区专班", "county", "510108");
        String community = token(cd, "网格员", "community", "510104001001");
        String otherCommunity = token(cd, "邻社区网格员", "community", "510104001002");

        String caseId = TransfersBetweenServersTest.push(cd, "TR1", "13900007101", "510104001001");
        String id = cd.postJson("/api/v1/cases/" + caseId + "/transfer", county, new JsonObject()
                .put("jurisdiction", "500101").put("reason", "电话初查：常住重庆渝中区")).json().getString("id");
        Await.until("Chongqing refuses the badly signed transfer", Duration.ofSeconds(30),
                () -> "REFUSED".equals(TransfersBetweenServersTest.outgoing(cd, id).getString("status")));
        JsonObject listed = onTaskForceList(cd, county, id);
        assertThat(listed.getString("lastError")).startsWith("HTTP 403");
        assertThat(listed.getJsonArray("actions")).containsExactly("retry");

        assertThat(onTaskForceList(cd, community, id).getJsonArray("actions")).containsExactly("retry");
        assertThat(cd.postJson("/api/v1/transfers/" + id + "/retry", otherCommunity, new JsonObject()).status()).isEqualTo(404);
        assertThat(cd.postJson("/api/v1/transfers/" + id + "/retry", otherCounty, new JsonObject()).status()).isEqualTo(404);
        assertThat(cd.postJson("/api/v1/transfers/nonsense/retry", county, new JsonObject()).status()).isEqualTo(404);

        // Chongqing's operators fix its key and restart it.
        chongqing.stop();
        cqSettings.put("OUTREACH_TRANSFER_KEY_5101", KEY);
        chongqing = OutreachServer.start(ConfigLoader.fromMap(cqSettings), clock);

        Http.Reply retried = cd.postJson("/api/v1/transfers/" + id + "/retry", community, new JsonObject());
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().getString("status")).isIn("SENDING", "DELIVERED", "ACKNOWLEDGED");
        assertThat(retried.json().getJsonArray("actions")).isEmpty();
        Await.until("Chongqing acknowledges the transfer sent again", Duration.ofSeconds(30),
                () -> "ACKNOWLEDGED".equals(TransfersBetweenServersTest.outgoing(cd, id).getString("status")));
        Http.Reply twice = cd.postJson("/api/v1/transfers/" + id + "/retry", county, new JsonObject());
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.json().getString("message")).contains("ACKNOWLEDGED");

        assertThat(TransfersBetweenServersTest.types(cd, caseId)).containsSubsequence("TRANSFER_REFUSED",
                "TRANSFER_ESCALATED", "TRANSFER_RETRIED", "TRANSFER_DELIVERED", "TRANSFER_ACKNOWLEDGED");
        assertThat(TransfersBetweenServersTest.event(cd, caseId, "TRANSFER_RETRIED").getString("actor"))
                .isEqualTo("token:网格员");
        JsonArray taskForce = cd.get("/api/v1/transfers?escalated=true", county).json().getJsonArray("transfers");
        assertThat(taskForce).isEmpty();
        String theirCase = TransfersBetweenServersTest.outgoing(cd, id).getString("peerCaseId");
        assertThat(new Http(chongqing.port()).get("/api/v1/cases/" + theirCase, "t").json().getString("jurisdiction"))
                .isEqualTo("500101000000");
    }

    private static JsonObject onTaskForceList(Http http, String token, String id) {
        for (Object o : http.get("/api/v1/transfers?escalated=true", token).json().getJsonArray("transfers")) {
            if (((JsonObject) o).getString("id").equals(id)) return (JsonObject) o;
        }
        throw new AssertionError("transfer " + id + " is not on the task force list");
    }

    private static String token(Http http, String name, String role, String jurisdiction) {
        return http.postJson("/api/v1/tokens", "t", new JsonObject().put("name", name).put("role", role)
                .put("jurisdiction", jurisdiction)).json().getString("token");
    }
}
