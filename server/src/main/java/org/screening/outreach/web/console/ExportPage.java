package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.ledger.DailyReports;
import org.screening.outreach.ledger.export.DailyReportSheet;
import org.screening.outreach.ledger.export.ExportFormat;
import org.screening.outreach.ledger.export.ExportRange;
import org.screening.outreach.ledger.export.LedgerExports;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Downloads;

/**
 * {@code GET /console/export}: staff download the ledger of their jurisdiction for a day range (XLSX or CSV) and the
 * daily report (XLSX), the same files the API gives. Downloads are plain GET links ({@code ?download=ledger|daily}):
 * they change nothing, so they need no CSRF token, and the session cookie scopes them like every page. One path for
 * the form and the files, so a refused request shows the form again with the problem, and the language link of that
 * page leads back to the form, not to a download.
 */
public final class ExportPage {
    private final LedgerExports exports;
    private final DailyReports reports;
    private final ConsolePages pages;
    private final Blocking blocking;
    private final ZoneId zone;
    private final Clock clock;

    public ExportPage(LedgerExports exports, DailyReports reports, ConsolePages pages, Blocking blocking, ZoneId zone,
                      Clock clock) {
        this.exports = exports;
        this.reports = reports;
        this.pages = pages;
        this.blocking = blocking;
        this.zone = zone;
        this.clock = clock;
    }

    public void show(RoutingContext ctx) {
        String download = param(ctx, "download");
        if (download.equals("ledger")) ledger(ctx);
        else if (download.equals("daily")) daily(ctx);
        else form(ctx, 200, null);
    }

    private void ledger(RoutingContext ctx) {
        StaffUser user = ConsoleAuth.user(ctx);
        String prefix = scope(ctx, user);
        if (prefix == null) return;
        ExportFormat format = ExportFormat.parse(param(ctx, "format"), null).orElse(null);
        if (format == null) {
            form(ctx, 400, "export.err.format");
            return;
        }
        ExportRange range;
        try {
            range = ExportRange.parse(prefix, param(ctx, "from"), param(ctx, "to"), today());
        } catch (ExportRange.Invalid e) {
            form(ctx, 400, "export.err." + e.problem().name());
            return;
        }
        blocking.run(() -> exports.write(range, format, user.actor())).onSuccess(file -> {
            ConsolePages.headers(ctx);
            Downloads.file(ctx, file.path(), format.contentType(), range.fileName(format), file.rows());
        }).onFailure(ctx::fail);
    }

    private void daily(RoutingContext ctx) {
        String prefix = scope(ctx, ConsoleAuth.user(ctx));
        if (prefix == null) return;
        LocalDate date;
        try {
            String raw = param(ctx, "date");
            date = raw.isEmpty() ? today() : LocalDate.parse(raw);
        } catch (DateTimeParseException e) {
            form(ctx, 400, "export.err.DATE");
            return;
        }
        blocking.run(() -> {
            var report = reports.daily(date, prefix, zone, clock.instant());
            return Map.entry(report, DailyReportSheet.xlsx(report));
        }).onSuccess(r -> {
            ConsolePages.headers(ctx);
            Downloads.bytes(ctx, r.getValue(), ExportFormat.XLSX.contentType(), DailyReportSheet.fileName(r.getKey()),
                    r.getKey().rows().size() + 1);
        }).onFailure(ctx::fail);
    }

    /** The community code asked for (default: the user's whole scope); null once a refusal was sent. */
    private String scope(RoutingContext ctx, StaffUser user) {
        String community = param(ctx, "community");
        if (community.isEmpty()) return user.jurisdictionPrefix();
        if (!Jurisdiction.isValidPrefix(community)) {
            form(ctx, 400, "export.err.JURISDICTION");
            return null;
        }
        if (!community.startsWith(user.jurisdictionPrefix())) {
            // Refused, never narrowed, as the API does (web/api/ReportScope): a report stands for what was asked.
            form(ctx, 403, "export.err.scope", community, user.jurisdictionPrefix());
            return null;
        }
        return community;
    }

    /** {@code args}: the error's {0}, {1}…; by default {0} is the longest range. */
    private void form(RoutingContext ctx, int status, String errorKey, Object... args) {
        Messages m = pages.messages(ctx);
        String today = today().toString();
        Map<String, Object> v = new HashMap<>();
        v.put("from", orDefault(param(ctx, "from"), today));
        v.put("to", orDefault(param(ctx, "to"), today));
        v.put("date", orDefault(param(ctx, "date"), today));
        v.put("community", param(ctx, "community"));
        v.put("format", param(ctx, "format").equals("csv") ? "csv" : "xlsx");
        Map<String, Object> vars = new HashMap<>();
        vars.put("v", v);
        vars.put("scope", ConsoleAuth.user(ctx).jurisdictionPrefix());
        vars.put("maxDays", ExportRange.MAX_DAYS);
        Object[] values = args.length > 0 ? args : new Object[] {ExportRange.MAX_DAYS};
        vars.put("error", errorKey == null ? "" : m.fmt(errorKey, values));
        pages.send(ctx, status, "export", vars);
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), zone);
    }

    private static String orDefault(String value, String fallback) {
        return value.isEmpty() ? fallback : value;
    }

    private static String param(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        return v == null ? "" : v.strip();
    }
}
