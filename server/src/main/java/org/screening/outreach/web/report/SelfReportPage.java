package org.screening.outreach.web.report;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.domain.FirstCheck;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.web.Blocking;

/**
 * {@code /r/{token}}: the self-report page behind the SMS link (public, no login; the signed token is the key).
 * Mobile-first Chinese form with the first-check questions; a bad or expired link gets a friendly page (404/410).
 */
public final class SelfReportPage {
    private static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("M月d日 HH:mm");
    private static final List<String> FIELDS = List.of(FirstCheck.IDENTITY, FirstCheck.IN_CITY, SelfReportForm.ADDRESS,
            SelfReportForm.DISTRICT, FirstCheck.TRAVEL_7D, FirstCheck.ARRIVAL_DATE, FirstCheck.HEALTH_CODE);
    private final ReportLinks links;
    private final SelfReports reports;
    private final Blocking blocking;
    private final ZoneId zone;
    private final Clock clock;
    private final String hotline;
    private final ReportPages pages = new ReportPages();
    private final RateLimiter perToken;
    private final RateLimiter perAddress;

    /** {@code hits}: where submissions are counted for the per-link and per-address limits (shared by all nodes). */
    public SelfReportPage(ReportLinks links, SelfReports reports, RateHits hits, Blocking blocking, ZoneId zone,
                          Clock clock, String hotline) {
        this.links = links;
        this.reports = reports;
        this.blocking = blocking;
        this.zone = zone;
        this.clock = clock;
        this.hotline = hotline;
        this.perToken = new RateLimiter(hits, "report-link", 10, Duration.ofMinutes(10), clock);
        this.perAddress = new RateLimiter(hits, "report-address", 60, Duration.ofMinutes(10), clock);
    }

    public void show(RoutingContext ctx) {
        withCase(ctx, c -> Map.entry(200, form(ctx, c, emptyValues(), Map.of())));
    }

    public void submit(RoutingContext ctx) {
        String token = ctx.pathParam("token");
        String address = org.screening.outreach.web.ClientAddress.of(ctx);
        blocking.run(() -> perToken.allow(token) && perAddress.allow(address)).onSuccess(allowed -> {
            if (allowed) {
                check(ctx);
            } else {
                page(ctx, 429, pages.render("report-invalid", Map.of("title", "提交过于频繁",
                        "message", "请稍后再试。", "hotline", hotline)));
            }
        }).onFailure(ctx::fail);
    }

    private void check(RoutingContext ctx) {
        Map<String, String> form = new HashMap<>();
        ctx.request().formAttributes().forEach(e -> form.putIfAbsent(e.getKey(), e.getValue()));
        SelfReportForm.Checked checked = SelfReportForm.check(form, clock.instant().atZone(zone).toLocalDate());
        withCase(ctx, c -> {
            if (!checked.ok()) {
                Map<String, Object> values = emptyValues();
                FIELDS.forEach(f -> values.put(f, form.getOrDefault(f, "")));
                return Map.entry(400, form(ctx, c, values, checked.errors()));
            }
            reports.record(c.id(), checked.answers(), clock.instant());
            return Map.entry(200, pages.render("report-done", Map.of("hotline", hotline)));
        });
    }

    private interface Render {
        Map.Entry<Integer, String> apply(RiskCase c);
    }

    /** Verifies the link, loads its case (on a worker), and renders; bad links get the friendly page. */
    private void withCase(RoutingContext ctx, Render render) {
        ReportLinks.Verification v = links.verify(ctx.pathParam("token"), clock.instant());
        if (v instanceof ReportLinks.Invalid invalid) {
            boolean expired = invalid.reason() == ReportLinks.Reason.EXPIRED;
            page(ctx, expired ? 410 : 404, pages.render("report-invalid", Map.of(
                    "title", expired ? "链接已过期" : "链接无效",
                    "message", expired ? "这个报告链接已经过期。" : "这个报告链接无法识别，请核对短信中的完整链接。",
                    "hotline", hotline)));
            return;
        }
        String caseId = ((ReportLinks.Valid) v).caseId();
        blocking.run(() -> reports.find(caseId).map(render::apply).orElseGet(() -> Map.entry(404,
                pages.render("report-invalid", Map.of("title", "链接无效", "message", "没有找到对应的排查记录。",
                        "hotline", hotline))))).onSuccess(r -> page(ctx, r.getKey(), r.getValue())).onFailure(ctx::fail);
    }

    private String form(RoutingContext ctx, RiskCase c, Map<String, Object> values, Map<String, String> errors) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("name", Masking.name(c.name()));
        vars.put("categoryName", c.category().chineseName());
        vars.put("deadline", DEADLINE.format(c.deadlineAt().atZone(zone)));
        vars.put("action", "/r/" + ctx.pathParam("token"));
        vars.put("values", values);
        vars.put("errors", errors);
        vars.put("hotline", hotline);
        return pages.render("report-form", vars);
    }

    private static Map<String, Object> emptyValues() {
        Map<String, Object> m = new HashMap<>();
        FIELDS.forEach(f -> m.put(f, ""));
        return m;
    }

    private static void page(RoutingContext ctx, int status, String html) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(html);
    }
}
