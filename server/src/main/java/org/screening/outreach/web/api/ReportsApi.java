package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import org.screening.outreach.domain.DailyReport;
import org.screening.outreach.ledger.DailyReports;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/**
 * {@code GET /api/v1/reports/daily?date=2022-04-01&jurisdiction=510104}: the day's figures for a jurisdiction
 * (default: the caller's whole scope; a wider one is refused, see {@link ReportScope}) and each of its children.
 * The date is a day in the deployment's zone (default: today). JSON, or XLSX with {@code format=xlsx}
 * ({@link DailyReportDownload}).
 */
public final class ReportsApi {
    private final DailyReports reports;
    private final Blocking blocking;
    private final ZoneId zone;
    private final Clock clock;

    public ReportsApi(DailyReports reports, Blocking blocking, ZoneId zone, Clock clock) {
        this.reports = reports;
        this.blocking = blocking;
        this.zone = zone;
        this.clock = clock;
    }

    public void daily(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        Boolean xlsx = DailyReportDownload.wanted(ctx);
        if (xlsx == null) {
            Replies.error(ctx, 400, "invalid_request", "format must be json or xlsx");
            return;
        }
        String rawDate = ctx.queryParams().get("date");
        LocalDate date = rawDate == null ? LocalDate.now(clock.withZone(zone))
                : org.screening.outreach.domain.CalendarDays.parse(rawDate).orElse(null);
        if (date == null) {
            Replies.error(ctx, 400, "invalid_request", "date must be a day such as 2022-04-01");
            return;
        }
        String prefix = ReportScope.of(ctx, caller, ctx.queryParams().get("jurisdiction"));
        if (prefix == null) return;
        if (xlsx) {
            DailyReportDownload.send(ctx, blocking, () -> reports.daily(date, prefix, zone, clock.instant()));
            return;
        }
        blocking.run(() -> reports.daily(date, prefix, zone, clock.instant()))
                .onSuccess(r -> Replies.json(ctx, 200, json(r))).onFailure(ctx::fail);
    }

    static JsonObject json(DailyReport r) {
        JsonArray rows = new JsonArray();
        r.rows().forEach(row -> rows.add(row(row)));
        return new JsonObject().put("date", r.date().toString()).put("jurisdiction", r.jurisdiction())
                .put("childDigits", r.childDigits()).put("rows", rows).put("total", row(r.total()));
    }

    private static JsonObject row(DailyReport.Row row) {
        return new JsonObject().put("jurisdiction", row.jurisdiction()).put("received", row.received())
                .put("reachedInTime", row.reachedInTime()).put("escalated", row.escalated())
                .put("overdue", row.overdue()).put("verified", row.verified()).put("closed", row.closed())
                .put("transfersSent", row.transfersSent()).put("transfersAcknowledged", row.transfersAcknowledged())
                .put("transfersEscalated", row.transfersEscalated());
    }
}
