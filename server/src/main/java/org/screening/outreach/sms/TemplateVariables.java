package org.screening.outreach.sms;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.screening.outreach.domain.Masking;

/**
 * The documented variables of the SMS templates (sms-templates/README.md) and the one way to build them, so a
 * caller cannot forget to mask the name or to show the deadline in local time.
 */
public final class TemplateVariables {
    private TemplateVariables() {}

    /** Every template may use only these; anything else fails the load (a typo would otherwise reach people). */
    public static final Set<String> DOCUMENTED =
            Set.of("name", "community", "communityCode", "deadline", "link", "hotline", "sender", "text");

    /**
     * What a template other than a campaign's gets: {@link #reminder} builds exactly these, so any other variable in a
     * reminder (a campaign's {@code sender} or {@code text}) would fail every send in strict rendering.
     */
    public static final Set<String> REMINDER = Set.of("name", "community", "communityCode", "deadline", "link", "hotline");

    /** The variables template {@code name} may use: a campaign's get what its creator gives, the others {@link #REMINDER}. */
    public static Set<String> allowedIn(String name) {
        return name.startsWith("campaign.") ? DOCUMENTED : REMINDER;
    }

    private static final DateTimeFormatter ZH = DateTimeFormatter.ofPattern("M月d日HH:mm", Locale.CHINA);
    private static final DateTimeFormatter EN = DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

    /** Example values: templates are trial-rendered with them at load and previews show segment counts. */
    public static Map<String, Object> samples() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "张*");
        m.put("community", "玉林街道玉林社区");
        m.put("communityCode", "510104001001");
        m.put("deadline", "4月1日10:30");
        m.put("link", "https://outreach.example.cn/r/01M84GSPZMCWDZCHMS8DY5DHAP.rb2k1c.AAAAAAAAAAAAAAAAAAAAAA");
        m.put("hotline", "028-12345");
        m.put("sender", "成都市疫情防控指挥部");
        m.put("text", "今日全员核酸检测，请携带身份证就近检测。");
        return m;
    }

    /** Variables of a case reminder: the name is masked (张三 → 张*), the deadline shown in the given zone. */
    public static Map<String, Object> reminder(String fullName, String communityName, String communityCode,
                                               Instant deadline, ZoneId zone, String lang, String link,
                                               String hotline) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", Masking.name(fullName == null ? "" : fullName));
        m.put("community", communityName);
        m.put("communityCode", communityCode);
        m.put("deadline", (lang.startsWith("zh") ? ZH : EN).format(deadline.atZone(zone)));
        m.put("link", link);
        m.put("hotline", hotline);
        return m;
    }
}
