package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.campaigns.Campaigns;

/**
 * The campaign form as staff typed it: kept to show it again after a preview or a refusal, and turned into the
 * request {@code POST /api/v1/campaigns} makes. Variables left empty are left out, so the template's own rules (a
 * variable it needs, the deployment's hotline) decide, as for the API.
 */
public record CampaignForm(String name, String template, String lang, Map<String, String> variables, String startAt,
                    String quietHours) {
    /** The variables campaign templates use (sms-templates/campaign.*), in the order the form shows them. */
    static final List<String> VARIABLES = List.of("sender", "text", "link", "hotline");
    static final List<String> LANGUAGES = List.of("zh-CN", "en");

    static CampaignForm blank(List<String> templates) {
        return new CampaignForm("", templates.isEmpty() ? "" : templates.get(0), LANGUAGES.get(0), Map.of(), "", "");
    }

    static CampaignForm read(RoutingContext ctx) {
        Map<String, String> vars = new LinkedHashMap<>();
        for (String v : VARIABLES) {
            String typed = UploadedFile.field(ctx, "var." + v);
            if (!typed.isEmpty()) vars.put(v, typed);
        }
        return new CampaignForm(UploadedFile.field(ctx, "name"), UploadedFile.field(ctx, "template"),
                UploadedFile.field(ctx, "lang"), vars, UploadedFile.field(ctx, "startAt"),
                UploadedFile.field(ctx, "quietHours"));
    }

    /** The message key of what is wrong with the start time or the quiet hours; null when both are fine. */
    String problem() {
        if (!quietHours.isEmpty() && Campaigns.quietHoursProblem(quietHours) != null) return "campaign.err.quietHours";
        if (!startAt.isEmpty()) {
            try {
                LocalDateTime.parse(startAt);
            } catch (DateTimeParseException e) {
                return "campaign.err.startAt";
            }
        }
        return null;
    }

    /** The request; the start time is local time of the deployment ({@link #problem} said it parses). */
    Campaigns.Request request(ZoneId zone) {
        return new Campaigns.Request(name, template, lang, variables,
                startAt.isEmpty() ? null : LocalDateTime.parse(startAt).atZone(zone).toInstant(),
                quietHours.isEmpty() ? null : quietHours);
    }

    /** What the template shows: every variable with its typed value or "". */
    Map<String, String> allVariables() {
        Map<String, String> all = new LinkedHashMap<>();
        for (String v : VARIABLES) all.put(v, variables.getOrDefault(v, ""));
        return all;
    }
}
