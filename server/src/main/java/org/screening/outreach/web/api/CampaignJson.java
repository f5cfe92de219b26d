package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.screening.outreach.campaigns.Campaign;
import org.screening.outreach.campaigns.CampaignProgress;
import org.screening.outreach.campaigns.InvalidRow;

/** Campaign answers: counts and times only — never a phone number (the invalid rows show theirs masked). */
public final class CampaignJson {
    private CampaignJson() {}

    public static JsonObject progress(CampaignProgress p, ZoneId zone) {
        Campaign c = p.campaign();
        return new JsonObject().put("id", c.id()).put("name", c.name()).put("template", c.template())
                .put("lang", c.lang()).put("status", c.status().name()).put("createdBy", c.createdBy())
                .put("createdAt", at(c.createdAt(), zone)).put("startAt", at(c.startAt(), zone))
                .put("quietHours", c.quietHours()).put("finishedAt", at(c.finishedAt(), zone))
                .put("total", p.totalRows()).put("invalid", p.invalid()).put("duplicates", p.duplicates())
                .put("recipients", p.recipients()).put("optedOut", p.optedOut()).put("queued", p.queued())
                .put("sending", p.sending()).put("sent", p.sent()).put("noReceipt", p.noReceipt())
                .put("delivered", p.delivered()).put("failed", p.failed())
                .put("cancelled", p.cancelled()).put("percent", p.percent()).put("ratePerSecond", p.ratePerSecond())
                .put("etaSeconds", p.eta() == null ? null : p.eta().toSeconds()).put("asOf", at(p.asOf(), zone));
    }

    static JsonArray invalidRows(List<InvalidRow> rows) {
        JsonArray a = new JsonArray();
        rows.forEach(r -> a.add(new JsonObject().put("row", r.row()).put("value", r.value()).put("problem", r.problem())));
        return a;
    }

    private static String at(Instant t, ZoneId zone) {
        return t == null ? null : t.atZone(zone).toOffsetDateTime().toString();
    }
}
