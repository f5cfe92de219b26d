package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
import org.screening.outreach.intake.RecordLengthGuard;
import org.screening.outreach.support.Http;
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/**
 * {@code POST /api/v1/cases/import} with a community's list as Excel saves it as "Unicode text": UTF-16, tabs, title
 * rows above the header. Small batches, so a file damaged after its first rows would half-write if read in one pass.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CaseImportFormatsApiTest {
    static final String ADMIN = "test-admin-token";
    static final String TITLES = "玉林社区重点人员名单\n导出时间：2022年4月1日\n";
    static final String HEADER = "外部编号\t姓名\t手机号码\t证件号码\t风险类别\t所属社区\t推送时间\n";
    static final int ROWS = 23;
    static OutreachServer server;
    static Http http;

    @BeforeAll
    static void start(TestDb db, @TempDir Path dataDir) {
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of(
                "OUTREACH_HTTP_PORT", "0",
                "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN,
                "OUTREACH_DATA_DIR", dataDir.toString(),
                "OUTREACH_MAX_IMPORT_MB", "8",
                "OUTREACH_INTAKE_BATCH", "10",
                "OUTREACH_DISPATCH", "off")), Clock.systemUTC());
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void utf16TabSeparatedListImportsAndARunawayQuoteIsAJsonErrorWithNothingWritten() {
        Reply ok = importUtf16("unicode", TITLES + HEADER + rows("U", "510104011001"));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().getInteger("accepted")).isEqualTo(ROWS);
        assertThat(ok.json().getJsonArray("rejected")).isEmpty();
        assertThat(cases("510104011")).isEqualTo(ROWS);
        JsonObject first = http.get("/api/v1/cases?jurisdiction=510104011&limit=1", ADMIN).json()
                .getJsonArray("cases").getJsonObject(0);
        assertThat(first.getString("name")).isEqualTo("张三U1");
        assertThat(first.getString("category")).isEqualTo("RED");

        // Line 4 + ROWS opens a quote never closed; the file goes on for megabytes past it.
        StringBuilder damaged = new StringBuilder(TITLES + HEADER + rows("Q", "510104012001"))
                .append("Q0\t\"李四\t13900000000\t\t红码\t510104012001\t\n");
        while (damaged.length() < 2 * RecordLengthGuard.MAX_RECORD_CHARS) damaged.append("W\t王五\t13700000000\t\t红码\t510104012001\t\n");
        Reply refused = importUtf16("unicode", damaged.toString());
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().getString("error")).isEqualTo("invalid_file");
        assertThat(refused.json().getString("message")).contains("line " + (4 + ROWS)).contains("never closed");
        assertThat(cases("510104012")).as("the %d good rows before the quote fill two batches; none is stored", ROWS)
                .isZero();
    }

    private static String rows(String prefix, String community) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= ROWS; i++) {
            b.append(prefix).append(i).append("\t张三").append(prefix).append(i).append('\t')
                    .append(13800000000L + i + (prefix.charAt(0) * 1000L)).append("\t\t红码\t").append(community).append("\t\n");
        }
        return b.toString();
    }

    private static Reply importUtf16(String source, String text) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFE});
        body.writeBytes(text.getBytes(StandardCharsets.UTF_16LE));
        return http.post("/api/v1/cases/import?source=" + source, ADMIN, "text/plain", body.toByteArray());
    }

    private static int cases(String jurisdiction) {
        return http.get("/api/v1/cases?jurisdiction=" + jurisdiction + "&limit=100", ADMIN).json().getJsonArray("cases").size();
    }
}
