package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.config.ConfigLoader;

/** A broken SMS template or IVR script stops the start, naming the file (and line or step), before anything runs. */
class StartChecksTest {
    static final Path SCRIPTS = Path.of("..", "ivr-scripts");
    static final Path TEMPLATES = Path.of("..", "sms-templates");

    @Test
    void aTemplateWithAnUnknownVariableStopsTheStart(@TempDir Path dir) throws Exception {
        Path templates = copy(TEMPLATES, dir.resolve("t"), ".vm");
        Files.writeString(templates.resolve("reminder.RED.zh-CN.vm"), "【疫情防控】${name}您好，\n请于${deadlin}前报告：${link}");
        assertThatThrownBy(() -> start(dir, SCRIPTS, templates))
                .hasMessageContaining("reminder.RED.zh-CN.vm").hasMessageContaining("2").hasMessageContaining("deadlin");
    }

    /** Every case language needs its reminders: an English case must never be texted in Chinese by omission. */
    @Test
    void aReminderMissingInACaseLanguageStopsTheStart(@TempDir Path dir) throws Exception {
        Path templates = copy(TEMPLATES, dir.resolve("t"), ".vm");
        Files.delete(templates.resolve("reminder.ROAMING.en.vm"));
        assertThatThrownBy(() -> start(dir, SCRIPTS, templates))
                .hasMessageContaining("reminder.ROAMING.en.vm").hasMessageContaining("missing");
    }

    @Test
    void aScriptWithAnUnknownStepStopsTheStart(@TempDir Path dir) throws Exception {
        Path scripts = copy(SCRIPTS, dir.resolve("s"), ".yaml");
        Path zh = scripts.resolve("screening-call.zh-CN.yaml");
        Files.writeString(zh, Files.readString(zh).replace("next: ask_in_city", "next: ask_in_town"));
        assertThatThrownBy(() -> start(dir, scripts, TEMPLATES))
                .hasMessageContaining("screening-call.zh-CN.yaml").hasMessageContaining("ask_in_town");
    }

    @Test
    void aCallScriptLanguageWithNoScriptStopsTheStart(@TempDir Path dir) {
        assertThatThrownBy(() -> start(dir, SCRIPTS, TEMPLATES, Map.of("OUTREACH_IVR_LANGUAGE", "fr")))
                .hasMessageContaining("OUTREACH_IVR_LANGUAGE").hasMessageContaining("fr");
    }

    private static void start(Path dataDir, Path scripts, Path templates) {
        start(dataDir, scripts, templates, Map.of());
    }

    private static void start(Path dataDir, Path scripts, Path templates, Map<String, String> more) {
        // The database URL is never reached: the checks come first.
        Map<String, String> settings = new java.util.HashMap<>(Map.of("OUTREACH_DATA_DIR", dataDir.toString(),
                "OUTREACH_DB_URL", "jdbc:mysql://127.0.0.1:1/none", "OUTREACH_HTTP_PORT", "0",
                "OUTREACH_IVR_SCRIPTS_DIR", scripts.toString(), "OUTREACH_SMS_TEMPLATES_DIR", templates.toString()));
        settings.putAll(more);
        OutreachServer.start(ConfigLoader.fromMap(settings), Clock.systemUTC()).close();
    }

    private static Path copy(Path from, Path to, String suffix) throws Exception {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(p -> p.toString().endsWith(suffix)).toList()) Files.copy(f, to.resolve(f.getFileName()));
        }
        return to;
    }
}
