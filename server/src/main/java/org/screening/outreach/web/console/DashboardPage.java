package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.domain.DailyReport;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.ledger.DailyReports;
import org.screening.outreach.ledger.SlaFigures;
import org.screening.outreach.web.Blocking;

/**
 * {@code /console/dashboard}: whether deadlines are met in the user's jurisdiction and its children (issue 6 item 2,
 * the seeds' daily report): today's report per child, the share reached in time by category and a chart over the
 * last {@code days} (7, 14 or 30), and the deadline breaches of those days with where each case stands.
 */
public final class DashboardPage {
    private static final List<Integer> RANGES = List.of(7, 14, 30);
    private static final int BREACHES = 100;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm");
    private final DailyReports reports;
    private final SlaFigures sla;
    private final ConsolePages pages;
    private final Blocking blocking;
    private final ZoneId zone;
    private final Clock clock;

    public DashboardPage(DailyReports reports, SlaFigures sla, ConsolePages pages, Blocking blocking, ZoneId zone,
                         Clock clock) {
        this.reports = reports;
        this.sla = sla;
        this.pages = pages;
        this.blocking = blocking;
        this.zone = zone;
        this.clock = clock;
    }

    private record Figures(DailyReport today, List<SlaFigures.Day> days, List<SlaFigures.CategoryShare> categories,
                           List<SlaFigures.Breach> breaches) {}

    public void show(RoutingContext ctx) {
        StaffUser user = ConsoleAuth.user(ctx);
        Messages m = pages.messages(ctx);
        int days = RANGES.stream().filter(r -> String.valueOf(r).equals(ctx.queryParams().get("days"))).findFirst()
                .orElse(14);
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        LocalDate from = today.minusDays(days - 1L);
        String prefix = user.jurisdictionPrefix();
        blocking.run(() -> new Figures(reports.daily(today, prefix, zone, now), sla.days(prefix, from, today, zone, now),
                sla.byCategory(prefix, from, today, zone), sla.breaches(prefix, from, today, zone, now, BREACHES)))
                .onSuccess(f -> {
                    Map<String, Object> vars = new HashMap<>();
                    vars.put("days", days);
                    vars.put("ranges", RANGES);
                    vars.put("today", today.toString());
                    vars.put("rows", rows(f.today()));
                    vars.put("total", row(f.today().total()));
                    vars.put("categories", categories(f.categories(), m));
                    vars.put("chart", TrendChart.of(f.days(), m));
                    vars.put("breaches", breaches(f.breaches(), m, now));
                    vars.put("moreBreaches", f.breaches().size() == BREACHES);
                    vars.put("nowMillis", String.valueOf(now.toEpochMilli()));
                    pages.send(ctx, 200, "dashboard", vars);
                }).onFailure(ctx::fail);
    }

    private static List<Map<String, Object>> rows(DailyReport r) {
        List<Map<String, Object>> out = new ArrayList<>();
        r.rows().forEach(x -> out.add(row(x)));
        return out;
    }

    private static Map<String, Object> row(DailyReport.Row r) {
        Map<String, Object> v = new HashMap<>();
        v.put("jurisdiction", r.jurisdiction());
        v.put("received", r.received());
        v.put("reachedInTime", r.reachedInTime());
        v.put("share", percent(r.reachedInTime(), r.received()));
        v.put("escalated", r.escalated());
        v.put("overdue", r.overdue());
        v.put("verified", r.verified());
        v.put("closed", r.closed());
        v.put("transfers", r.transfersSent());
        return v;
    }

    private static List<Map<String, Object>> categories(List<SlaFigures.CategoryShare> shares, Messages m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SlaFigures.CategoryShare s : shares) {
            out.add(Map.of("name", m.getOr("category." + s.category().name(), s.category().name()),
                    "received", s.received(), "reachedInTime", s.reachedInTime(),
                    "share", percent(s.reachedInTime(), s.received()),
                    "width", s.received() == 0 ? 0 : Math.round(100.0 * s.reachedInTime() / s.received())));
        }
        return out;
    }

    private List<Map<String, Object>> breaches(List<SlaFigures.Breach> found, Messages m, Instant now) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (SlaFigures.Breach b : found) {
            Map<String, Object> v = new HashMap<>();
            v.put("caseId", b.caseId());
            v.put("name", Masking.name(b.name()));
            v.put("category", m.getOr("category." + b.category().name(), b.category().name()));
            v.put("jurisdiction", b.jurisdiction());
            v.put("deadline", TIME.format(b.deadlineAt().atZone(zone)));
            v.put("status", m.getOr("status." + b.status().name(), b.status().name()));
            v.put("why", why(b, m));
            out.add(v);
        }
        return out;
    }

    /** Where the case stands, in words: reached late, with the door-knock team (and why), or still not reached. */
    private String why(SlaFigures.Breach b, Messages m) {
        if (b.reachedAt() != null) return m.fmt("dashboard.why.late", TIME.format(b.reachedAt().atZone(zone)));
        if (b.doorKnockReason() != null) {
            return m.fmt("dashboard.why.doorKnock", m.getOr("reason." + b.doorKnockReason(), b.doorKnockReason()));
        }
        return m.get("dashboard.why.notReached");
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "–" : Math.round(100.0 * part / whole) + "%";
    }
}
