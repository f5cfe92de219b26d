package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.OutreachServer;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.config.OutreachConfig;
import org.screening.outreach.support.Http;

/** The embedded defaults: no database configured, data under the data directory, kept across restarts. */
@Tag("db")
class EmbeddedRestartTest {

    @Test
    void aDataDirUnderTheSystemTempDirectoryIsRefused(@TempDir Path tmp) {
        OutreachConfig config = ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0",
                "OUTREACH_DATA_DIR", tmp.toString()));
        assertThatThrownBy(() -> OutreachServer.start(config, Clock.systemUTC()))
                .hasMessageContaining("OUTREACH_DATA_DIR").hasMessageContaining("temp");
    }

    @Test
    void dataAndTheGeneratedAdminTokenSurviveARestart() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target", "restart-" + System.nanoTime()).toAbsolutePath());
        OutreachConfig config = ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0",
                "OUTREACH_DATA_DIR", dataDir.toString()));
        String token;
        String id;
        try (OutreachServer first = OutreachServer.start(config, Clock.systemUTC())) {
            token = first.generatedAdminToken();
            assertThat(token).as("first start generates the admin token").startsWith("so_");
            Http http = new Http(first.port());
            JsonObject answer = http.postJson("/api/v1/cases", token, new JsonObject().put("source", "restart")
                    .put("cases", new JsonArray().add(new JsonObject().put("externalId", "R1").put("name", "张三")
                            .put("phone", "13800138000").put("category", "红码").put("jurisdiction", "510104001001"))))
                    .json();
            assertThat(answer.getInteger("accepted")).isEqualTo(1);
            id = answer.getJsonArray("cases").getJsonObject(0).getString("id");
        }
        assertThat(Files.isDirectory(dataDir.resolve("mariadb/data"))).isTrue();
        try (Stream<Path> files = Files.walk(dataDir.resolve("mariadb/data"))) {
            // only the hash is stored: the token text appears in no database file
            assertThat(files.filter(Files::isRegularFile).anyMatch(f -> contains(f, token))).isFalse();
        }

        try (OutreachServer second = OutreachServer.start(config, Clock.systemUTC())) {
            assertThat(second.generatedAdminToken()).as("no new token on later starts").isNull();
            Http http = new Http(second.port());
            Http.Reply c = http.get("/api/v1/cases/" + id, token);
            assertThat(c.status()).isEqualTo(200);
            assertThat(c.json().getString("externalId")).isEqualTo("R1");
            assertThat(c.json().getJsonArray("events").getJsonObject(0).getString("type")).isEqualTo("RECEIVED");
        }
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().command().orElse("").endsWith("mariadbd"))
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a)).orElse("").contains(dataDir.toString())))
                .as("the embedded database stops with the server").isEmpty();
        try (Stream<Path> paths = Files.walk(dataDir)) { // half a gigabyte per run otherwise
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static boolean contains(Path f, String text) {
        try {
            byte[] bytes = Files.readAllBytes(f);
            return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
