package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/** A push too big for the phone line is turned into door knocks at push time, and the answer says so. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CapacityShortfallTest {

    @Test
    void casesThatCannotBeCalledBeforeTheirEscalationPointBecomeDoorKnocksAtOnce(TestDb db, @TempDir Path dir) {
        MutableClock clock = new MutableClock(ZonedDateTime.of(2022, 4, 1, 9, 0, 0, 0, ZoneId.of("Asia/Shanghai")).toInstant());
        // One line, each call holding it for an hour: one RED call fits before the escalation point, no more.
        try (OutreachServer server = OutreachServer.start(ConfigLoader.fromMap(Map.of(
                "OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(), "OUTREACH_ADMIN_TOKEN", "t",
                "OUTREACH_DATA_DIR", dir.toString(), "OUTREACH_SIM_VOICE_CHANNELS", "1",
                "OUTREACH_SIM_CALLS_PER_SECOND", "1", "OUTREACH_FORECAST_HOLD_SECONDS", "3600")), clock)) {
            Http http = new Http(server.port());
            JsonArray rows = new JsonArray();
            for (int i = 0; i < 5; i++) {
                rows.add(new JsonObject().put("externalId", "S" + i).put("phone", "1380000800" + i)
                        .put("category", "RED").put("jurisdiction", "510104001001"));
            }
            JsonObject answer = http.postJson("/api/v1/cases", "t",
                    new JsonObject().put("source", "overload").put("cases", rows)).json();
            assertThat(answer.getInteger("accepted")).isEqualTo(5);
            assertThat(answer.getInteger("capacityShortfall")).isEqualTo(4);

            List<JsonObject> cases = answer.getJsonArray("cases").stream()
                    .map(o -> http.get("/api/v1/cases/" + ((JsonObject) o).getString("id"), "t").json()).toList();
            assertThat(cases).filteredOn(c -> c.getString("status").equals("DOOR_KNOCK")).hasSize(4)
                    .allSatisfy(c -> assertThat(c.getJsonArray("events").stream().map(e -> (JsonObject) e)
                            .filter(e -> e.getString("type").equals("DOOR_KNOCK_CREATED"))
                            .map(e -> e.getJsonObject("data").getString("reason")).toList())
                            .containsExactly("capacity_shortfall"));
            assertThat(http.get("/metrics", null).body()).contains("capacity_shortfall_total 4.0");

            workTheDoorKnocks(http);
        }
    }

    /** Community staff take the door-knock list, assign, and record what the 3-person team found. */
    private static void workTheDoorKnocks(Http http) {
        String community = http.postJson("/api/v1/tokens", "t", new JsonObject().put("name", "社区A")
                .put("role", "community").put("jurisdiction", "510104001001")).json().getString("token");
        String other = http.postJson("/api/v1/tokens", "t", new JsonObject().put("name", "社区B")
                .put("role", "community").put("jurisdiction", "510104001002")).json().getString("token");
        JsonArray tasks = http.get("/api/v1/door-knocks", community).json().getJsonArray("tasks");
        assertThat(tasks).hasSize(4);
        assertThat(http.get("/api/v1/door-knocks", other).json().getJsonArray("tasks")).isEmpty();
        long first = tasks.getJsonObject(0).getLong("id");
        long second = tasks.getJsonObject(1).getLong("id");
        String firstCase = tasks.getJsonObject(0).getString("caseId");
        assertThat(http.postJson("/api/v1/door-knocks/" + first + "/assign", other,
                new JsonObject().put("assignee", "王网格员")).status()).isEqualTo(403);

        Http.Reply assigned = http.postJson("/api/v1/door-knocks/" + first + "/assign", community,
                new JsonObject().put("assignee", "王网格员"));
        assertThat(assigned.status()).isEqualTo(200);
        assertThat(assigned.json().getString("status")).isEqualTo("ASSIGNED");
        Http.Reply again = http.postJson("/api/v1/door-knocks/" + first + "/assign", community,
                new JsonObject().put("assignee", "王网格员"));
        assertThat(again.status()).as("the same assignment sent again is done").isEqualTo(200);
        assertThat(http.get("/api/v1/cases/" + firstCase, community).json().getJsonArray("events").stream()
                .filter(e -> "DOOR_KNOCK_ASSIGNED".equals(((JsonObject) e).getString("type")))).as("assigned once").hasSize(1);

        JsonObject team = new JsonObject().put("cadre", "李书记").put("healthWorker", "张医生").put("police", "赵警官");
        Http.Reply noTeam = http.postJson("/api/v1/door-knocks/" + first + "/outcome", community,
                new JsonObject().put("outcome", "FOUND_VERIFIED"));
        assertThat(noTeam.status()).isEqualTo(400);
        assertThat(noTeam.json().getString("message")).contains("cadre");

        Http.Reply away = http.postJson("/api/v1/door-knocks/" + first + "/outcome", community,
                new JsonObject().put("outcome", "NOT_AT_HOME").put("team", team));
        assertThat(away.json().getString("status")).as("not at home: visit again").isEqualTo("ASSIGNED");
        Http.Reply found = http.postJson("/api/v1/door-knocks/" + first + "/outcome", community,
                new JsonObject().put("outcome", "FOUND_VERIFIED").put("team", team).put("note", "居家"));
        assertThat(found.json().getString("status")).isEqualTo("DONE");
        assertThat(http.postJson("/api/v1/door-knocks/" + first + "/outcome", community,
                new JsonObject().put("outcome", "REFUSED").put("team", team)).status()).isEqualTo(409);
        JsonObject verified = http.get("/api/v1/cases/" + firstCase, community).json();
        assertThat(verified.getString("status")).isEqualTo("VERIFIED");
        assertThat(verified.getJsonArray("events").stream().map(e -> ((JsonObject) e).getString("type")).toList())
                .containsSubsequence("DOOR_KNOCK_CREATED", "DOOR_KNOCK_ASSIGNED", "DOOR_KNOCK_RESULT", "DOOR_KNOCK_RESULT");

        Http.Reply closed = http.postJson("/api/v1/cases/" + firstCase + "/close", community,
                new JsonObject().put("reason", "入户核实，居家健康监测"));
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json().getString("status")).isEqualTo("CLOSED");

        String secondCase = tasks.getJsonObject(1).getString("caseId");
        http.postJson("/api/v1/door-knocks/" + second + "/outcome", community,
                new JsonObject().put("outcome", "NOT_IN_CITY").put("team", team));
        assertThat(http.get("/api/v1/cases/" + secondCase, community).json().getString("status"))
                .as("not in the city goes to the police review list").isEqualTo("POLICE_REVIEW");
        Http.Reply notYet = http.postJson("/api/v1/cases/" + secondCase + "/close", community,
                new JsonObject().put("reason", "gone"));
        assertThat(notYet.status()).isEqualTo(409);
        assertThat(notYet.json().getString("message")).contains("VERIFIED");
    }
}
