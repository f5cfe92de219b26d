package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/** Push over HTTP, let the simulators and the dispatcher work, move time: cases are reached or escalated. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class DispatchEndToEndTest {
    static final String ADMIN = "e2e-admin";
    static final MutableClock clock = new MutableClock(
            ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
    static OutreachServer server;
    static Http http;

    @BeforeAll
    static void start(TestDb db, @TempDir Path dataDir) {
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of(
                "OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(), "OUTREACH_ADMIN_TOKEN", ADMIN,
                "OUTREACH_DATA_DIR", dataDir.toString(), "OUTREACH_SIM_TALK_SECONDS", "0",
                "OUTREACH_SIM_RING_SECONDS", "0")), clock);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static boolean tick() {
        clock.advance(Duration.ofSeconds(1));
        return true;
    }

    static JsonObject caseOf(String id) {
        return http.get("/api/v1/cases/" + id, ADMIN).json();
    }

    static List<String> types(JsonObject c) {
        return c.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList();
    }

    @Test
    void redCasesAreCalledAtOnceAndTheUnreachedGoToADoorKnockAnHourBeforeTheDeadline() {
        JsonArray rows = new JsonArray();
        for (int i = 0; i < 12; i++) {
            rows.add(new JsonObject().put("externalId", "E" + i).put("name", "张" + i).put("phone", String.format("138000070%02d", i))
                    .put("category", "红码").put("jurisdiction", "510104001001"));
        }
        JsonObject answer = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "e2e").put("cases", rows)).json();
        List<String> ids = answer.getJsonArray("cases").stream().map(o -> ((JsonObject) o).getString("id")).toList();
        assertThat(ids).hasSize(12);

        // Virtual time moves a second per poll so the channels' rate limits can refill.
        Await.until("every case had its first call and SMS", Duration.ofSeconds(20), () -> tick() && ids.stream()
                .map(DispatchEndToEndTest::caseOf).allMatch(c -> types(c).stream().anyMatch(t -> t.startsWith("CALL_"))
                        && types(c).stream().anyMatch(t -> t.startsWith("SMS_"))));
        JsonObject first = caseOf(ids.get(0));
        assertThat(types(first)).startsWith("RECEIVED", "PLANNED", "STATUS_CHANGED");

        clock.advance(Duration.ofMinutes(61));
        List<String> settled = List.of("REACHED", "VERIFIED", "DOOR_KNOCK");
        Await.until("every case reached by phone or handed to a door knock", Duration.ofSeconds(30), () -> ids.stream()
                .map(DispatchEndToEndTest::caseOf).allMatch(c -> settled.contains(c.getString("status"))));
        for (String id : ids) {
            JsonObject c = caseOf(id);
            Optional<JsonObject> answered = event(c, "CALL_ANSWERED");
            switch (c.getString("status")) {
                case "VERIFIED" -> {
                    assertThat(answered.orElseThrow().getJsonObject("data").getString("identity")).isEqualTo("yes");
                    assertThat(statusTrail(c)).containsExactly("CONTACTING", "REACHED", "VERIFIED");
                }
                case "REACHED" -> {
                    assertThat(answered.orElseThrow().getJsonObject("data").getString("identity")).isEqualTo("yes");
                    assertThat(types(c)).as("reached but not verified: something to follow up")
                            .containsAnyOf("FLAGGED", "TRANSFER_FLAGGED");
                }
                default -> {
                    assertThat(types(c)).contains("DOOR_KNOCK_CREATED");
                    answered.ifPresent(e -> assertThat(e.getJsonObject("data").getString("identity"))
                            .as("answered yet door knock: the callee is not the user of the number").isEqualTo("no"));
                }
            }
            assertThat(c.getBoolean("overdue")).isFalse();
        }

        String done = ids.stream().filter(id -> List.of("VERIFIED", "REACHED").contains(caseOf(id).getString("status")))
                .findFirst().orElseThrow();
        if (caseOf(done).getString("status").equals("REACHED")) {
            Http.Reply early = http.postJson("/api/v1/cases/" + done + "/close", ADMIN, new JsonObject().put("reason", "ok"));
            assertThat(early.status()).as("closing needs verification first").isEqualTo(409);
            assertThat(http.postJson("/api/v1/cases/" + done + "/verify", ADMIN, new JsonObject().put("method", "fax"))
                    .status()).isEqualTo(400);
            Http.Reply verified = http.postJson("/api/v1/cases/" + done + "/verify", ADMIN,
                    new JsonObject().put("method", "phone").put("note", "本人接听，在蓉"));
            assertThat(verified.json().getString("status")).isEqualTo("VERIFIED");
        }
        Http.Reply closed = http.postJson("/api/v1/cases/" + done + "/close", ADMIN,
                new JsonObject().put("reason", "电话核实，居家健康监测"));
        assertThat(closed.status()).isEqualTo(200);
        JsonObject c = caseOf(done);
        assertThat(c.getString("status")).isEqualTo("CLOSED");
        assertThat(statusTrail(c)).containsExactly("CONTACTING", "REACHED", "VERIFIED", "CLOSED");
    }

    static Optional<JsonObject> event(JsonObject c, String type) {
        return c.getJsonArray("events").stream().map(e -> (JsonObject) e).filter(e -> e.getString("type").equals(type))
                .findFirst();
    }

    static List<String> statusTrail(JsonObject c) {
        return c.getJsonArray("events").stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("type").equals("STATUS_CHANGED"))
                .map(e -> e.getJsonObject("data").getString("to")).toList();
    }
}
