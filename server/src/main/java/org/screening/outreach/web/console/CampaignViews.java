package org.screening.outreach.web.console;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import org.screening.outreach.campaigns.Campaign;
import org.screening.outreach.campaigns.CampaignProgress;
import org.screening.outreach.campaigns.CampaignStatus;
import org.screening.outreach.web.api.CampaignJson;

/**
 * A campaign's progress as the campaign pages show it and as their script reads it: the API's figures (counts only,
 * never a number) with the status and the time left in the request's language.
 */
final class CampaignViews {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final DateTimeFormatter AS_OF = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss");

    private CampaignViews() {}

    /** The JSON of {@code GET /console/campaigns/{id}/progress}: the API's, plus words for the page. */
    static JsonObject json(CampaignProgress p, Messages m, ZoneId zone) {
        return CampaignJson.progress(p, zone).put("statusText", status(p.campaign().status(), m)).put("etaText", eta(p, m))
                .put("rateText", m.fmt("campaign.rate", p.ratePerSecond()))
                .put("percentText", String.format(java.util.Locale.ROOT, "%.1f", p.percent())).put("final", p.campaign().status().isFinal());
    }

    /** The same figures for a template: the JSON's fields by name, so page and script show the same values. */
    static Map<String, Object> view(CampaignProgress p, Messages m, ZoneId zone) {
        Map<String, Object> v = new HashMap<>(json(p, m, zone).getMap());
        v.replaceAll((k, x) -> x == null ? "" : x);
        Campaign c = p.campaign();
        v.put("created", TIME.format(c.createdAt().atZone(zone)));
        v.put("start", TIME.format(c.startAt().atZone(zone)));
        v.put("quiet", c.quietHours() == null ? m.get("campaign.quiet.none") : c.quietHours());
        v.put("asOfText", p.asOf() == null ? m.get("campaign.asOf.none") : AS_OF.format(p.asOf().atZone(zone)));
        return v;
    }

    static String status(CampaignStatus s, Messages m) {
        return m.getOr("campaign.status." + s.name(), s.name());
    }

    /** "约 1小时5分" / "约 3分20秒"; "—" while the rate is unknown (not started, paused); nothing queued says so. */
    private static String eta(CampaignProgress p, Messages m) {
        Duration eta = p.eta();
        if (eta == null) return m.get("campaign.eta.unknown");
        if (eta.isZero()) return m.get("campaign.eta.none");
        long s = eta.getSeconds();
        String left = s >= 3600 ? m.fmt("countdown.hm", s / 3600, (s % 3600) / 60)
                : m.fmt("countdown.ms", s / 60, String.format("%02d", s % 60));
        return m.fmt("campaign.eta", left);
    }
}
