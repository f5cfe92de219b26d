package org.screening.outreach.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.domain.Category;

class SmsTemplatesTest {
    /** Surefire runs in server/; the templates live at the project root. */
    static final Path SHIPPED = Path.of("..", "sms-templates");

    @Test
    void shippedTemplatesLoadWithAReminderPerCategoryInBothLanguages() {
        SmsTemplates t = SmsTemplates.load(SHIPPED);
        for (Category c : Category.values()) {
            assertThat(t.languages("reminder." + c.name())).as(c.name()).contains("zh-CN", "en");
        }
        assertThat(t.names()).contains("arrival-health", "campaign.self-report", "campaign.notice");
        t.require(Arrays.stream(Category.values()).map(c -> "reminder." + c.name()).toList());
    }

    @Test
    void reminderMasksTheNameAndShowsTheLocalDeadlineAndLink() {
        SmsTemplates t = SmsTemplates.load(SHIPPED);
        Map<String, Object> vars = TemplateVariables.reminder("张三丰", "玉林社区", "510104001001",
                Instant.parse("2022-04-01T02:30:00Z"), ZoneId.of("Asia/Shanghai"), "zh-CN",
                "https://o.example.cn/r/ABC.x.y", "028-12345");
        String body = t.render("reminder.RED", "zh-CN", vars);
        assertThat(body).startsWith("【疫情防控】张**您好").contains("4月1日10:30前", "玉林社区", "https://o.example.cn/r/ABC.x.y ",
                "028-12345").doesNotContain("三丰").doesNotContain("$");
        assertThat(Segments.count(body).encoding()).isEqualTo(Segments.Encoding.UCS2);

        String en = t.render("reminder.YELLOW", "en", TemplateVariables.reminder("Li Si", "Yulin", "510104001001",
                Instant.parse("2022-04-01T02:30:00Z"), ZoneId.of("Asia/Shanghai"), "en", "https://o.example.cn/r/T", "12345"));
        assertThat(en).contains("L****: ", "before 1 Apr 10:30:");
    }

    @Test
    void missingTranslationFallsBackToChinese() throws IOException {
        SmsTemplates t = SmsTemplates.load(SHIPPED);
        assertThat(t.render("arrival-health", "fr", TemplateVariables.samples())).startsWith("【健康提醒】");
    }

    /** zh-CN at most 3 parts; English with a Chinese community name is UCS-2 too, so it may take 4. */
    @Test
    void previewsFitInAFewSegments() {
        SmsTemplates t = SmsTemplates.load(SHIPPED);
        for (String name : t.names()) {
            for (String lang : t.languages(name)) {
                assertThat(Segments.count(t.preview(name, lang)).segments()).as(name + "." + lang)
                        .isBetween(1, lang.equals("zh-CN") ? 3 : 4);
            }
        }
    }

    @Test
    void unknownVariableFailsTheLoadNamingFileAndLine(@TempDir Path dir) throws IOException {
        write(dir, "reminder.RED.zh-CN.vm", "第一行 ${name}\n第二行 ${nmae} 打错了\n");
        assertThatThrownBy(() -> SmsTemplates.load(dir)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("reminder.RED.zh-CN.vm:2").hasMessageContaining("$nmae")
                .satisfies(e -> assertThat(((TemplateException) e).line()).isEqualTo(2));
    }

    /**
     * A reminder is rendered with what TemplateVariables.reminder builds, so a campaign's $sender or $text in one
     * would pass a check against every documented name and then fail each send in strict rendering.
     */
    @Test
    void aCampaignVariableInAReminderFailsTheLoadNamingFileAndLine(@TempDir Path dir) throws IOException {
        write(dir, "reminder.RED.zh-CN.vm", "【${sender}】\n${name}您好 ${link}\n");
        assertThatThrownBy(() -> SmsTemplates.load(dir)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("reminder.RED.zh-CN.vm:1").hasMessageContaining("$sender")
                .hasMessageContaining("only for campaign templates");
        Files.delete(dir.resolve("reminder.RED.zh-CN.vm"));
        write(dir, "arrival-health.zh-CN.vm", "${link}\n${text}\n");
        assertThatThrownBy(() -> SmsTemplates.load(dir)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("arrival-health.zh-CN.vm:2").hasMessageContaining("$text");
        Files.delete(dir.resolve("arrival-health.zh-CN.vm"));
        // A campaign template may use any documented variable: its creator gives them.
        write(dir, "campaign.x.zh-CN.vm", "【${sender}】${name} ${community} ${text}\n");
        assertThat(SmsTemplates.load(dir).names()).containsExactly("campaign.x");
    }

    @Test
    void theReminderVariablesAreExactlyWhatAReminderGets() {
        Map<String, Object> vars = TemplateVariables.reminder("张三", "玉林社区", "510104001001", Instant.EPOCH,
                ZoneId.of("Asia/Shanghai"), "zh-CN", "L", "H");
        assertThat(vars.keySet()).isEqualTo(TemplateVariables.REMINDER);
        assertThat(TemplateVariables.DOCUMENTED).containsAll(TemplateVariables.REMINDER);
    }

    @Test
    void syntaxErrorFailsTheLoadNamingFileAndLine(@TempDir Path dir) throws IOException {
        write(dir, "campaign.x.zh-CN.vm", "好\n\n#if(${name} 未闭合\n");
        assertThatThrownBy(() -> SmsTemplates.load(dir)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("campaign.x.zh-CN.vm:3").hasMessageContaining("syntax error");
    }

    @Test
    void aTemplateWithoutChineseVersionFailsTheLoad(@TempDir Path dir) throws IOException {
        write(dir, "reminder.RED.en.vm", "Hello ${name}\n");
        assertThatThrownBy(() -> SmsTemplates.load(dir)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("reminder.RED.zh-CN.vm");
    }

    @Test
    void setVariablesAreAllowedAndAMissingValueFailsTheRender(@TempDir Path dir) throws IOException {
        write(dir, "n.zh-CN.vm", "#set($who = \"${name}\")${who}您好 ${link}\n");
        SmsTemplates t = SmsTemplates.load(dir);
        assertThat(t.render("n", "zh-CN", Map.of("name", "王*", "link", "L"))).isEqualTo("王*您好 L");
        Map<String, Object> noLink = new HashMap<>(Map.of("name", "王*"));
        assertThatThrownBy(() -> t.render("n", "zh-CN", noLink)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("n.zh-CN.vm");
    }

    @Test
    void badFileNameFailsTheLoad(@TempDir Path dir) throws IOException {
        write(dir, "reminder.vm", "x\n");
        assertThatThrownBy(() -> SmsTemplates.load(dir)).isInstanceOf(TemplateException.class)
                .hasMessageContaining("reminder.vm");
    }

    private static void write(Path dir, String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}
