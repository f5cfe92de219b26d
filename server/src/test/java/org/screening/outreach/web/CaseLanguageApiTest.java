package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
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
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** A case's language through the JSON push and the CSV import, stored and shown on the case. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CaseLanguageApiTest {
    static final String ADMIN = "test-admin-token";
    static OutreachServer server;
    static Http http;

    @BeforeAll
    static void start(TestDb db, @TempDir Path dataDir) {
        server = OutreachServer.start(ConfigLoader.fromMap(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(),
                "OUTREACH_ADMIN_TOKEN", ADMIN, "OUTREACH_DATA_DIR", dataDir.toString(), "OUTREACH_DISPATCH", "off")),
                Clock.systemUTC());
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void jsonPushTakesEachCasesLanguageAndRejectsAnUnknownOne() {
        JsonArray rows = new JsonArray();
        String[][] pushed = {{"L1", "en"}, {"L2", "English"}, {"L3", null}, {"L4", ""}, {"L5", "中文"}, {"L6", "fr"}};
        for (int i = 0; i < pushed.length; i++) {
            JsonObject row = new JsonObject().put("externalId", pushed[i][0]).put("phone", "1380000710" + i)
                    .put("category", "RED").put("jurisdiction", "510104005001");
            if (pushed[i][1] != null) row.put("language", pushed[i][1]);
            rows.add(row);
        }
        Reply r = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", "lang-json").put("cases", rows));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().getInteger("accepted")).isEqualTo(5);
        JsonObject rejected = r.json().getJsonArray("rejected").getJsonObject(0);
        assertThat(r.json().getJsonArray("rejected")).hasSize(1);
        assertThat(rejected.getMap()).containsEntry("row", 6).containsEntry("field", "language");
        assertThat(rejected.getString("message")).contains("zh-CN", "en");
        assertThat(languages(r.json())).containsExactly(Map.entry("L1", "en"), Map.entry("L2", "en"),
                Map.entry("L3", "zh-CN"), Map.entry("L4", "zh-CN"), Map.entry("L5", "zh-CN"));
    }

    @Test
    void csvImportReadsTheLanguageColumnUnderItsChineseOrEnglishName() {
        String zh = "外部编号,手机号码,风险类别,所属社区,语言\n"
                + "C1,13800007201,红码,510104005002,英文\nC2,13800007202,红码,510104005002,EN-us\n"
                + "C3,13800007203,红码,510104005002,\nC4,13800007204,红码,510104005002,日语\n";
        Reply a = importCsv("lang-csv-zh", zh);
        assertThat(a.json().getJsonArray("rejected")).extracting(o -> ((JsonObject) o).getString("field"))
                .containsExactly("language");
        assertThat(a.json().getJsonArray("rejected").getJsonObject(0).getInteger("row")).isEqualTo(4);
        assertThat(languages(a.json())).containsExactly(Map.entry("C1", "en"), Map.entry("C2", "en"),
                Map.entry("C3", "zh-CN"));

        String en = "externalId,phone,category,jurisdiction,Language\n"
                + "E1,13800007301,RED,510104005002,en\nE2,13800007302,RED,510104005002,zh\n";
        Reply b = importCsv("lang-csv-en", en);
        assertThat(b.json().getJsonArray("rejected")).isEmpty();
        assertThat(languages(b.json())).containsExactly(Map.entry("E1", "en"), Map.entry("E2", "zh-CN"));
    }

    @Test
    void aFileWithoutTheColumnMakesChineseCases() {
        Reply r = importCsv("lang-none", "外部编号,手机号码,风险类别,所属社区\nN1,13800007401,黄码,510104005003\n");
        assertThat(languages(r.json())).containsExactly(Map.entry("N1", "zh-CN"));
    }

    /**
     * The same person pushed again by another source while the case is open merges into it: a push that names the
     * language sets the case's (noted in the MERGED event), one that says nothing leaves it.
     */
    @Test
    void aMergedPushThatNamesTheLanguageSetsItAndOneThatDoesNotKeepsIt() {
        JsonObject first = push("lang-city", "M1", "13800007501", null);
        String caseId = first.getJsonArray("cases").getJsonObject(0).getString("id");
        assertThat(languages(first)).containsExactly(Map.entry("M1", "zh-CN"));

        JsonObject english = push("lang-assist", "M1-a", "13800007501", "English");
        assertThat(english.getInteger("merged")).isEqualTo(1);
        assertThat(languages(english)).containsExactly(Map.entry("M1-a", "en"));
        JsonObject merged = http.get("/api/v1/cases/" + caseId, ADMIN).json().getJsonArray("events").stream()
                .map(e -> (JsonObject) e).filter(e -> e.getString("type").equals("MERGED")).findFirst().orElseThrow();
        assertThat(merged.getJsonObject("data").getMap()).containsEntry("language", "en")
                .containsEntry("previousLanguage", "zh-CN");

        JsonObject silent = push("lang-police", "M1-b", "13800007501", null);
        assertThat(silent.getInteger("merged")).isEqualTo(1);
        assertThat(languages(silent)).as("a list without the column says nothing").containsExactly(Map.entry("M1-b", "en"));
    }

    static JsonObject push(String source, String externalId, String phone, String language) {
        JsonObject row = new JsonObject().put("externalId", externalId).put("phone", phone).put("category", "RED")
                .put("jurisdiction", "510104005004");
        if (language != null) row.put("language", language);
        Reply r = http.postJson("/api/v1/cases", ADMIN, new JsonObject().put("source", source)
                .put("cases", new JsonArray().add(row)));
        assertThat(r.status()).isEqualTo(200);
        return r.json();
    }

    static Reply importCsv(String source, String csv) {
        Reply r = http.post("/api/v1/cases/import?source=" + source, ADMIN, "text/csv", csv.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(200);
        return r;
    }

    /** externalId → the language GET /api/v1/cases/{id} shows, for every accepted row in answer order. */
    static Map<String, String> languages(JsonObject answer) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Object o : answer.getJsonArray("cases")) {
            JsonObject c = (JsonObject) o;
            JsonObject kase = http.get("/api/v1/cases/" + c.getString("id"), ADMIN).json();
            out.put(c.getString("externalId"), kase.getString("language"));
        }
        return out;
    }
}
