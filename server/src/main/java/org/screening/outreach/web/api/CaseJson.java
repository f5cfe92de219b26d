package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.domain.RiskCase;

/** How cases and ledger events look in the API. Times are ISO-8601 with the deployment's offset. */
final class CaseJson {
    private final ZoneId zone;

    CaseJson(ZoneId zone) {
        this.zone = zone;
    }

    String time(Instant i) {
        return i == null ? null : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atZone(zone).toOffsetDateTime());
    }

    /** Phone and ID number are masked unless a reveal was asked for (and logged) by the caller. */
    JsonObject riskCase(RiskCase c, Instant now, boolean revealPhone, boolean revealId) {
        return new JsonObject()
                .put("id", c.id())
                .put("source", c.source())
                .put("externalId", c.externalId())
                .put("name", c.name())
                .put("phone", revealPhone ? c.phone() : Masking.phone(c.phone()))
                .put("smsCapable", c.smsCapable())
                .put("idNumber", c.idNumber() == null ? null : revealId ? c.idNumber() : Masking.idNumber(c.idNumber()))
                .put("category", c.category().name())
                .put("categoryName", c.category().chineseName())
                .put("jurisdiction", c.jurisdiction())
                .put("language", c.language().tag())
                .put("status", c.status().name())
                .put("pushedAt", time(c.pushedAt()))
                .put("receivedAt", time(c.receivedAt()))
                .put("deadlineAt", time(c.deadlineAt()))
                .put("overdue", c.isOverdue(now));
    }

    JsonArray events(List<LedgerEvent> events) {
        JsonArray a = new JsonArray();
        for (LedgerEvent e : events) {
            a.add(new JsonObject().put("type", e.type()).put("at", time(e.at())).put("actor", e.actor())
                    .put("data", new JsonObject(new java.util.HashMap<>(e.data()))));
        }
        return a;
    }
}
