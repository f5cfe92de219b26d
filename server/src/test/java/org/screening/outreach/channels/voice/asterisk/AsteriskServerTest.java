package org.screening.outreach.channels.voice.asterisk;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.FormBody;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.TestIdKeys;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * The whole server on Asterisk: a pushed case is dialled through the fake AMI server, the fake Asterisk runs the
 * IVR over FastAGI, and the case's ledger shows the answers and the verification; with the PBX down and Twilio
 * as the secondary, the call goes through Twilio and the switch is in the ledger.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class AsteriskServerTest {
    static final String TWILIO_SID = "AC0123456789abcdef0123456789abcdef";

    @Test
    void aPushedCaseIsCalledThroughAsteriskAndVerifiedByItsAnswers(TestDb db, @TempDir Path dir) throws Exception {
        try (FakeAmiServer ami = new FakeAmiServer(AsteriskRig.USER, AsteriskRig.SECRET)) {
            int agiPort = AsteriskRig.freePort();
            FakeAsterisk pbx = new FakeAsterisk(agiPort);
            ami.script("13800005001", FakeAmiServer.Outcome.answer((id, uid) -> pbx.call(id, uid, "1", "1", "2", "1")));
            try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(settings(db, dir, ami, agiPort,
                    Map.of())), clock())) {
                Http http = new Http(server.port());
                String id = push(http, "13800005001");
                Await.until("the case verified by its call", Duration.ofSeconds(30),
                        () -> caseJson(http, id).getString("status").equals("VERIFIED"));
                List<JsonObject> events = events(http, id);
                assertThat(events.stream().filter(e -> e.getString("type").equals("IVR_ANSWER"))
                        .map(e -> e.getJsonObject("data").getString("key")))
                        .containsExactly("identity", "in_city", "travel_7d", "health_code", "completed");
                JsonObject answered = events.stream().filter(e -> e.getString("type").equals("CALL_ANSWERED"))
                        .findFirst().orElseThrow().getJsonObject("data");
                assertThat(answered.getString("provider")).isEqualTo("asterisk");
                assertThat(answered.getString("ivr")).isEqualTo("COMPLETED");
                Map<String, String> originate = ami.originateActions().get(0);
                assertThat(originate).containsEntry("channel", "PJSIP/13800005001@carrier")
                        .containsEntry("context", "outreach-ivr");
                assertThat(ami.calleeErrors()).isEmpty();
            }
        }
    }

    @Test
    void withThePbxDownCallsGoToTwilioAndTheSwitchIsInTheLedger(TestDb db, @TempDir Path dir) throws Exception {
        WireMockServer twilio = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        twilio.start();
        twilio.stubFor(post(urlPathMatching("/2010-04-01/Accounts/" + TWILIO_SID + "/Calls.json")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody("""
                        {"account_sid":"%s","sid":"CA0123456789abcdef0123456789abcdef","status":"queued"}"""
                        .formatted(TWILIO_SID))));
        try (FakeAmiServer ami = new FakeAmiServer(AsteriskRig.USER, AsteriskRig.SECRET)) {
            ami.pause(); // the PBX refuses connections
            Map<String, String> failover = Map.of("OUTREACH_VOICE_FAILOVER", "twilio", "TWILIO_ACCOUNT_SID", TWILIO_SID,
                    "TWILIO_AUTH_TOKEN", "tok3n", "TWILIO_FROM", "+15005550006",
                    "TWILIO_API_BASE", "http://127.0.0.1:" + twilio.port());
            try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(settings(db, dir, ami,
                    AsteriskRig.freePort(), failover)), clock())) {
                Http http = new Http(server.port());
                String id = push(http, "13800005002");
                Await.until("the call placed through Twilio", Duration.ofSeconds(30), () -> twilio
                        .findAll(postRequestedFor(urlPathMatching(".*/Calls.json"))).stream()
                        .anyMatch(r -> "+8613800005002".equals(FormBody.parse(r.getBodyAsString()).get("To"))));
                Await.until("the switch in the ledger", Duration.ofSeconds(10), () -> events(http, id).stream()
                        .anyMatch(e -> e.getString("type").equals("PROVIDER_FAILOVER")));
                JsonObject sw = events(http, id).stream().filter(e -> e.getString("type").equals("PROVIDER_FAILOVER"))
                        .findFirst().orElseThrow().getJsonObject("data");
                assertThat(sw.getString("from")).isEqualTo("asterisk");
                assertThat(sw.getString("to")).isEqualTo("twilio");
                assertThat(sw.getString("reason")).isEqualTo("ami_unavailable");
                assertThat(events(http, id)).noneMatch(e -> e.getString("type").equals("CALL_FAILED"));
                assertThat(ami.originateActions()).isEmpty();
            }
        } finally {
            twilio.stop();
        }
    }

    static Map<String, String> settings(TestDb db, Path dir, FakeAmiServer ami, int agiPort, Map<String, String> more) {
        Map<String, String> s = new HashMap<>(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", "t", "OUTREACH_DATA_DIR", dir.toString(),
                "OUTREACH_VOICE_PROVIDER", "asterisk", "ASTERISK_AMI_HOST", "127.0.0.1",
                "ASTERISK_AMI_PORT", String.valueOf(ami.port()), "ASTERISK_AMI_USER", AsteriskRig.USER,
                "ASTERISK_AMI_SECRET", AsteriskRig.SECRET, "OUTREACH_AGI_PORT", String.valueOf(agiPort)));
        // Both tests' servers use this database with data dirs of their own: the same ID number keys, as every node
        // of one deployment has (keys generated into each data dir would be refused by the second).
        s.putAll(TestIdKeys.settings());
        s.putAll(more);
        return s;
    }

    static MutableClock clock() {
        return new MutableClock(ZonedDateTime.of(2022, 4, 20, 10, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
    }

    static String push(Http http, String phone) {
        JsonArray rows = new JsonArray().add(new JsonObject().put("externalId", "A" + phone).put("name", "张三")
                .put("phone", phone).put("category", "黄码").put("jurisdiction", "510104001001"));
        return http.postJson("/api/v1/cases", "t", new JsonObject().put("source", "asterisk-test").put("cases", rows))
                .json().getJsonArray("cases").getJsonObject(0).getString("id");
    }

    static JsonObject caseJson(Http http, String id) {
        return http.get("/api/v1/cases/" + id, "t").json();
    }

    static List<JsonObject> events(Http http, String id) {
        return caseJson(http, id).getJsonArray("events").stream().map(e -> (JsonObject) e).toList();
    }
}
