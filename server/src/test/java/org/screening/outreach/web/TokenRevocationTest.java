package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
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

/** A leaked or departed holder's token is revoked over the API, and the admin token can be rotated. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class TokenRevocationTest {
    static final String ADMIN = "first-admin-token";

    static OutreachServer start(TestDb db, Path dir) {
        // Fixed ID keys: each test has a data dir of its own on the class's one schema.
        Map<String, String> settings = new java.util.HashMap<>(org.screening.outreach.support.TestIdKeys.settings());
        settings.putAll(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dir.toString(), "OUTREACH_DISPATCH", "off"));
        return OutreachServer.start(ConfigLoader.fromMap(settings), new MutableClock(Instant.parse("2022-04-01T01:00:00Z")));
    }

    @Test
    void aTokenScopeMustBeAWholeDivisionLevelNotACutInsideOne(TestDb db, @TempDir Path dir) {
        try (OutreachServer server = start(db, dir)) {
            Http http = new Http(server.port());
            // "510" meant as Chengdu (5101) would cover every city 5101..5109; 11 digits ten communities.
            for (String cut : new String[] {"5", "510", "51010", "5101040", "51010400100"}) {
                Http.Reply r = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", "cut " + cut)
                        .put("role", "city").put("jurisdiction", cut));
                assertThat(r.status()).as(cut).isEqualTo(400);
                assertThat(r.json().getString("message")).contains("whole division code");
            }
            for (String level : new String[] {"51", "5101", "510104", "510104001", "510104001001"}) {
                assertThat(http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", "level " + level)
                        .put("role", "city").put("jurisdiction", level)).status()).as(level).isEqualTo(201);
            }
        }
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceAndARevokedAdminTokenStaysRevokedAfterARestart(TestDb db, @TempDir Path dir) {
        String second;
        try (OutreachServer server = start(db, dir)) {
            Http http = new Http(server.port());
            JsonObject issued = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", "社区A")
                    .put("role", "community").put("jurisdiction", "510104001001")).json();
            String community = issued.getString("token");
            long id = issued.getLong("id");
            assertThat(http.get("/api/v1/cases", community).status()).isEqualTo(200);

            Http.Reply list = http.get("/api/v1/tokens", ADMIN);
            assertThat(list.status()).isEqualTo(200);
            assertThat(list.body()).contains("社区A").doesNotContain(community).doesNotContain("hash");
            assertThat(http.get("/api/v1/tokens", community).status()).isEqualTo(403);
            assertThat(http.delete("/api/v1/tokens/" + id, community).status()).as("only the admin revokes").isEqualTo(403);

            assertThat(http.delete("/api/v1/tokens/" + id, ADMIN).status()).isEqualTo(200);
            assertThat(http.get("/api/v1/cases", community).status()).as("refused at once on this node").isEqualTo(401);
            assertThat(http.delete("/api/v1/tokens/" + id, ADMIN).status()).isEqualTo(409);
            assertThat(http.delete("/api/v1/tokens/999999", ADMIN).status()).isEqualTo(404);
            assertThat(http.delete("/api/v1/tokens/abc", ADMIN).status()).isEqualTo(404);
            JsonObject listed = http.get("/api/v1/tokens", ADMIN).json().getJsonArray("tokens").stream()
                    .map(o -> (JsonObject) o).filter(t -> t.getLong("id") == id).findFirst().orElseThrow();
            assertThat(listed.getString("revokedBy")).isEqualTo("token:admin");
            assertThat(listed.getString("revokedAt")).isNotNull();

            long firstAdmin = http.get("/api/v1/tokens", ADMIN).json().getJsonArray("tokens").stream()
                    .map(o -> (JsonObject) o).filter(t -> t.getBoolean("admin")).findFirst().orElseThrow().getLong("id");
            assertThat(http.delete("/api/v1/tokens/" + firstAdmin, ADMIN).status())
                    .as("never without an admin token").isEqualTo(409);
            // Rotation: a second admin token, then the first one revoked.
            second = http.postJson("/api/v1/tokens", ADMIN, new JsonObject().put("name", "admin-2026")
                    .put("admin", true)).json().getString("token");
            assertThat(http.get("/api/v1/tokens", second).status()).isEqualTo(200);
            assertThat(http.delete("/api/v1/tokens/" + firstAdmin, second).status()).isEqualTo(200);
            assertThat(http.get("/api/v1/tokens", ADMIN).status()).isEqualTo(401);
        }
        // The old token is still configured (OUTREACH_ADMIN_TOKEN): a restart must not bring it back.
        try (OutreachServer server = start(db, dir)) {
            Http http = new Http(server.port());
            assertThat(http.get("/api/v1/tokens", ADMIN).status()).isEqualTo(401);
            assertThat(http.get("/api/v1/tokens", second).status()).isEqualTo(200);
        }
    }
}
