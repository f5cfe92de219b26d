package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.privacy.IdKeyFile;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.IdNumbers;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/**
 * ID numbers over the API on the default configuration (keys generated into the data dir): stored encrypted, shown
 * masked, and shown in full only by an asked-for reveal that the ledger records without the number itself.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class IdNumberRevealTest {
    static final String ADMIN = "reveal-admin";
    static final String ID = IdNumbers.valid("51010419880808123");
    static OutreachServer server;
    static Http http;
    static TestDb db;
    static Path dataDir;

    @BeforeAll
    static void start(TestDb testDb, @TempDir Path dir) {
        db = testDb;
        dataDir = dir;
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL",
                testDb.url(), "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dir.toString(),
                "OUTREACH_DISPATCH", "off")), Clock.systemUTC());
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void theNumberIsStoredEncryptedShownMaskedAndRevealedOnlyWithAnAuditEvent() throws Exception {
        String id = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "rv").put("cases",
                new JsonArray().add(new JsonObject().put("externalId", "V1").put("phone", "13800006001").put("name", "张三")
                        .put("idNumber", ID).put("category", "黄码").put("jurisdiction", "510104005001")))).json()
                .getJsonArray("cases").getJsonObject(0).getString("id");

        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT id_number, id_number_enc FROM cases WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getString(1)).isNull();
                assertThat(rs.getString(2)).startsWith("1:").doesNotContain(ID.substring(6, 14));
            }
        }

        String masked = ID.substring(0, 6) + "********" + ID.substring(14);
        assertThat(http.get("/api/v1/cases/" + id, ADMIN).json().getString("idNumber")).isEqualTo(masked);
        assertThat(http.get("/api/v1/cases?source=rv", ADMIN).body()).doesNotContain(ID).contains(masked);

        JsonObject revealed = http.get("/api/v1/cases/" + id + "?reveal=idNumber", ADMIN).json();
        assertThat(revealed.getString("idNumber")).isEqualTo(ID);
        assertThat(revealed.getString("phone")).as("only what was asked for").isNotEqualTo("+8613800006001");
        JsonObject event = revealed.getJsonArray("events").stream().map(e -> (JsonObject) e)
                .filter(e -> e.getString("type").equals("REVEALED")).findFirst().orElseThrow();
        assertThat(event.getString("actor")).isNotBlank();
        assertThat(event.getJsonObject("data").getString("fields")).isEqualTo("idNumber");
        assertThat(revealed.getJsonArray("events").encode()).doesNotContain(ID);
    }

    @Test
    void withNoKeysConfiguredTheyAreGeneratedIntoTheDataDirForTheOwnerOnly() throws Exception {
        Path file = dataDir.resolve(IdKeyFile.NAME);
        assertThat(Files.getPosixFilePermissions(file))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(file)).contains("key=").contains("index=");
    }
}
