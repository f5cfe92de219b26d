package org.screening.outreach.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.support.TestIdKeys;

/**
 * Two console nodes on one database with one moved clock: node A with the default settings, node B with
 * OUTREACH_DUE_SOON_MINUTES=30.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class ConsoleTwoNodesHttpTest {
    static final String ADMIN = "two-nodes-admin-token";
    static final String PASSWORD = "gridworker-2022";
    static final MutableClock clock = new MutableClock(Instant.parse("2026-03-02T01:00:00Z"));
    @TempDir
    static Path dir;
    static OutreachServer a;
    static OutreachServer b;
    static Http http;

    @BeforeAll
    static void start(TestDb db) {
        a = node(db, "a", Map.of());
        b = node(db, "b", Map.of("OUTREACH_DUE_SOON_MINUTES", "30"));
        http = new Http(a.port());
        assertThat(http.postJson("/api/v1/staff", ADMIN, new JsonObject().put("username", "two.a").put("password", PASSWORD)
                .put("displayName", "网格员").put("role", "community").put("jurisdictionPrefix", "510104001001")
                .put("admin", false)).status()).isEqualTo(201);
    }

    static OutreachServer node(TestDb db, String name, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(TestIdKeys.settings());
        settings.putAll(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(), "OUTREACH_ADMIN_TOKEN", ADMIN,
                "OUTREACH_DATA_DIR", dir.resolve(name).toString(), "OUTREACH_DISPATCH", "off"));
        settings.putAll(extra);
        return OutreachServer.start(ConfigLoader.fromMap(settings), clock);
    }

    @AfterAll
    static void stop() {
        if (a != null) a.stop();
        if (b != null) b.stop();
    }

    @Test
    void theDueSoonWindowIsASetting() {
        String id = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "soon").put("cases", new JsonArray()
                .add(new JsonObject().put("externalId", "S1").put("name", "吴十").put("phone", "13800001401")
                        .put("category", "红码").put("jurisdiction", "510104001001")))).json().getJsonArray("cases")
                .getJsonObject(0).getString("id");
        clock.advance(Duration.ofMinutes(60)); // RED: 2 h from receipt, so the deadline is now 60 minutes away

        ConsoleClient onA = new ConsoleClient(a.port());
        assertThat(onA.login("two.a", PASSWORD).statusCode()).isEqualTo(303);
        assertThat(onA.get("/console?section=DUE_SOON").body()).as("120 minutes: due soon")
                .contains("/console/cases/" + id).contains("截止时间在120分钟内");
        ConsoleClient onB = new ConsoleClient(b.port());
        assertThat(onB.login("two.a", PASSWORD).statusCode()).isEqualTo(303);
        assertThat(onB.get("/console?section=DUE_SOON").body()).as("30 minutes: not yet")
                .doesNotContain("/console/cases/" + id).contains("截止时间在30分钟内");
        assertThat(onB.get("/console?section=ALL").body()).contains("/console/cases/" + id);
        clock.advance(Duration.ofMinutes(31));
        assertThat(onB.get("/console?section=DUE_SOON").body()).as("29 minutes left").contains("/console/cases/" + id);
    }

    static int staff(String username, boolean admin) {
        return http.postJson("/api/v1/staff", ADMIN, new JsonObject().put("username", username).put("password", PASSWORD)
                .put("displayName", "管理员").put("role", "county").put("jurisdictionPrefix", "510104").put("admin", admin))
                .status();
    }

    @Test
    void theLastEnabledAdminStaysAndADisableOnOneNodeEndsSessionsOnTheOther() {
        assertThat(staff("two.boss", true)).isEqualTo(201);
        Http onB = new Http(b.port());
        Http.Reply last = onB.postJson("/api/v1/staff/two.boss/disable", ADMIN, new JsonObject());
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.json().getString("message")).contains("last enabled admin");

        assertThat(staff("two.boss2", true)).isEqualTo(201);
        ConsoleClient bossOnA = new ConsoleClient(a.port());
        assertThat(bossOnA.login("two.boss", PASSWORD).statusCode()).isEqualTo(303);
        assertThat(bossOnA.get("/console/admin/staff").statusCode()).isEqualTo(200);
        ConsoleClient boss2OnB = new ConsoleClient(b.port());
        assertThat(boss2OnB.login("two.boss2", PASSWORD).statusCode()).isEqualTo(303);
        String token = ConsoleClient.csrf(boss2OnB.get("/console/admin/staff").body());
        assertThat(boss2OnB.post("/console/admin/staff/disable", Map.of("csrf", token, "username", "two.boss"))
                .statusCode()).isEqualTo(303);
        assertThat(bossOnA.get("/console/admin/staff").statusCode()).as("node A sees it at once").isEqualTo(303);
        HttpResponse<String> lastOne = boss2OnB.post("/console/admin/staff/disable",
                Map.of("csrf", token, "username", "two.boss2"));
        assertThat(lastOne.statusCode()).isEqualTo(409);
        assertThat(lastOne.body()).contains("不能停用自己的账号");
        assertThat(onB.postJson("/api/v1/staff/two.boss2/disable", ADMIN, new JsonObject()).status())
                .as("the last enabled admin, through the API").isEqualTo(409);
        assertThat(boss2OnB.get("/console/admin/staff").body()).doesNotContain("two.boss2 (管理员) (已停用)")
                .contains("two.boss (管理员) (已停用)");
    }

    @Test
    void failedLoginsAreCountedAcrossNodes() {
        assertThat(staff("two.c", false)).isEqualTo(201);
        for (int i = 0; i < LoginThrottle.PER_USER_AND_ADDRESS; i++) {
            OutreachServer node = i % 2 == 0 ? a : b;
            assertThat(new ConsoleClient(node.port()).login("TWO.C", "wrong-password-" + i).statusCode())
                    .as("failure " + (i + 1)).isEqualTo(401);
        }
        for (OutreachServer node : new OutreachServer[] {a, b}) {
            HttpResponse<String> refused = new ConsoleClient(node.port()).login("two.c", PASSWORD);
            assertThat(refused.statusCode()).as("even the right password, on either node").isEqualTo(429);
        }
        clock.advance(LoginThrottle.WINDOW.plusSeconds(1));
        assertThat(new ConsoleClient(b.port()).login("two.c", PASSWORD).statusCode()).as("after the window").isEqualTo(303);
    }
}
