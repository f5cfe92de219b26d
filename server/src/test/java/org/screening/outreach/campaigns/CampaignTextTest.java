package org.screening.outreach.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.screening.outreach.sms.Segments;
import org.screening.outreach.sms.SmsTemplates;

/** Campaign previews: the shipped campaign templates rendered, with segments; bad templates are the caller's 400. */
class CampaignTextTest {
    static final CampaignText TEXT = new CampaignText(SmsTemplates.load(Path.of("..", "sms-templates")),
            Map.of("hotline", "12320"));

    @Test
    void previewReportsTextCharactersSegmentsAndEncoding() throws Exception {
        CampaignText.Preview p = TEXT.render("campaign.notice", "zh-CN",
                Map.of("sender", "四川省疫情防控指挥部", "text", "今日全员核酸检测，请携带身份证就近检测。"));
        assertThat(p.text()).startsWith("【四川省疫情防控指挥部】今日全员核酸检测").contains("12320").endsWith("回复TD退订");
        assertThat(p.encoding()).isEqualTo(Segments.Encoding.UCS2);
        assertThat(p.characters()).isEqualTo(p.text().length());
        assertThat(p.segments()).isEqualTo(Segments.count(p.text()).segments()).isEqualTo(1);

        CampaignText.Preview longer = TEXT.render("campaign.notice", "zh-CN",
                Map.of("sender", "四川省疫情防控指挥部", "text", "今".repeat(100)));
        assertThat(longer.segments()).isEqualTo(2); // > 70 UCS-2 units: 67 per part

        CampaignText.Preview en = TEXT.render("campaign.notice", "en", Map.of("sender", "CDC", "text", "Testing today."));
        assertThat(en.encoding()).isEqualTo(Segments.Encoding.GSM7);
        assertThat(en.segments()).isEqualTo(1);
    }

    @Test
    void unknownTemplateMissingOrUndocumentedVariableIsInvalid() {
        assertThatThrownBy(() -> TEXT.render("campaign.nope", "zh-CN", Map.of()))
                .isInstanceOf(CampaignText.Invalid.class).hasMessageContaining("unknown campaign template");
        // A case reminder is not a campaign template.
        assertThatThrownBy(() -> TEXT.render("reminder.RED", "zh-CN", Map.of()))
                .isInstanceOf(CampaignText.Invalid.class);
        assertThatThrownBy(() -> TEXT.render("campaign.notice", "zh-CN", Map.of("sender", "x")))
                .isInstanceOf(CampaignText.Invalid.class).hasMessageContaining("cannot be rendered");
        assertThatThrownBy(() -> TEXT.render("campaign.notice", "zh-CN", Map.of("sender", "x", "text", "y", "phone", "1")))
                .isInstanceOf(CampaignText.Invalid.class).hasMessageContaining("unknown variable 'phone'");
    }

    @Test
    void aTextLongerThanAnSmsCanCarryIsInvalid() throws Exception {
        String fixed = TEXT.render("campaign.notice", "zh-CN", Map.of("sender", "成都", "text", "")).text();
        String fits = "很".repeat(CampaignText.MAX_LENGTH - fixed.length());
        CampaignText.Preview longest = TEXT.render("campaign.notice", "zh-CN", Map.of("sender", "成都", "text", fits));
        assertThat(longest.characters()).isEqualTo(1600);
        assertThat(longest.segments()).isEqualTo(24);

        assertThatThrownBy(() -> TEXT.render("campaign.notice", "zh-CN", Map.of("sender", "成都", "text", fits + "很")))
                .isInstanceOf(CampaignText.Invalid.class).hasMessageContaining("1601 characters (24 SMS parts)")
                .hasMessageContaining("at most 1600");
        // An emoji is two UTF-16 units, as Twilio counts them.
        assertThatThrownBy(() -> TEXT.render("campaign.notice", "zh-CN",
                Map.of("sender", "成都", "text", fits.substring(1) + "😀"))).isInstanceOf(CampaignText.Invalid.class);
    }
}
