package org.screening.outreach.web.report;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.screening.outreach.domain.FirstCheck;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.web.Blocking;

/**
 * {@code /r/{token}}: the self-report page behind the SMS link (public, no login; the signed token is the key).
 * Mobile-first Chinese form with the first-check questions; a bad or expired link gets a friendly page (404/410).
 */
public final class SelfReportPage {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SelfReportPage.class);
    private static final DateTimeFormatter DEADLINE = DateTimeFormatter.ofPattern("M月d日 HH:mm");
    private static final DateTimeFormatter RECEIVED = DEADLINE;
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
        withCase(ctx, (c, reportedAt) -> Reply.page(200, form(ctx, c, emptyValues(), Map.of(), reportedAt.get())));
    }

    /**
     * {@code /r/{token}/done}, where a good submission is sent (post/redirect/get): reloading it, or going back to it,
     * sends nothing again. Without a report yet it is the form.
     */
    public void done(RoutingContext ctx) {
        withCase(ctx, (c, reportedAt) -> reportedAt.get().map(at -> Reply.page(200, pages.render("report-done",
                Map.of("hotline", hotline, "receivedAt", RECEIVED.format(at.atZone(zone))))))
                .orElseGet(() -> Reply.seeOther(formPath(ctx))));
    }

    public void submit(RoutingContext ctx) {
        String token = ctx.pathParam("token");
        String address = org.screening.outreach.web.ClientAddress.of(ctx);
        blocking.run(() -> perToken.allow(token) && perAddress.allow(address)).onSuccess(allowed -> {
            if (allowed) {
                check(ctx);
            } else {
                page(ctx, 429, notice("提交过于频繁", "请稍后再试。"));
            }
        }).onFailure(ctx::fail);
    }

    private void check(RoutingContext ctx) {
        Map<String, String> form = new HashMap<>();
        ctx.request().formAttributes().forEach(e -> form.putIfAbsent(e.getKey(), e.getValue()));
        SelfReportForm.Checked checked = SelfReportForm.check(form, clock.instant().atZone(zone).toLocalDate());
        withCase(ctx, (c, reportedAt) -> {
            if (!checked.ok()) {
                Map<String, Object> values = emptyValues();
                FIELDS.forEach(f -> values.put(f, form.getOrDefault(f, "")));
                return Reply.page(400, form(ctx, c, values, checked.errors(), reportedAt.get()));
            }
            reports.record(c.id(), checked.answers(), clock.instant());
            return Reply.seeOther(formPath(ctx) + "/done");
        });
    }

    /** {@code reportedAt} reads the case's last report when called: a good submission needs none. */
    private interface Render {
        Reply apply(RiskCase c, Supplier<Optional<Instant>> reportedAt);
    }

    /** A page, or a 303 to {@code location} (a path on this server). */
    private record Reply(int status, String html, String location) {
        static Reply page(int status, String html) {
            return new Reply(status, html, null);
        }

        static Reply seeOther(String location) {
            return new Reply(303, "", location);
        }
    }

    private static String formPath(RoutingContext ctx) {
        return "/r/" + ctx.pathParam("token");
    }

    /** Verifies the link, loads its case (on a worker), and renders; bad links get the friendly page. */
    private void withCase(RoutingContext ctx, Render render) {
        ReportLinks.Verification v = links.verify(ctx.pathParam("token"), clock.instant());
        if (v instanceof ReportLinks.Invalid invalid) {
            boolean expired = invalid.reason() == ReportLinks.Reason.EXPIRED;
            page(ctx, expired ? 410 : 404, expired ? notice("链接已过期", "这个报告链接已经过期。") : unknownLink());
            return;
        }
        String caseId = ((ReportLinks.Valid) v).caseId();
        blocking.run(() -> reports.find(caseId).map(c -> render.apply(c, () -> reports.lastReportAt(caseId)))
                .orElseGet(() -> Reply.page(404, notice("链接无效", "没有找到对应的排查记录。")))).onSuccess(r -> {
                    if (r.location() == null) {
                        page(ctx, r.status(), r.html());
                    } else {
                        ctx.response().setStatusCode(303).putHeader("Location", r.location())
                                .putHeader("Cache-Control", "no-store").putHeader("Referrer-Policy", "no-referrer").end();
                    }
                }).onFailure(ctx::fail);
    }

    /** Any other path under {@code /r/} (a link cut short in the SMS): the bad-link page, not the API's JSON. */
    public void unknown(RoutingContext ctx) {
        page(ctx, 404, unknownLink());
    }

    /**
     * Failures under {@code /r/} are pages in Chinese too (the person may be elderly, on a cheap phone). The log names
     * a reference but not the path: it holds the link's token.
     */
    public void failure(RoutingContext ctx) {
        if (ctx.response().headWritten()) return;
        int status = ctx.statusCode();
        if (status == 413) {
            page(ctx, 413, notice("填写内容过长", "请缩短填写的内容后再提交。"));
        } else if (status >= 400 && status < 500) {
            page(ctx, 400, notice("无法读取提交的内容", "请重新打开短信中的链接填写。"));
        } else {
            String ref = java.util.UUID.randomUUID().toString().substring(0, 8);
            Throwable t = ctx.failure();
            log.error("self-report request {} failed (ref {}): {}", ctx.request().method(), ref,
                    t == null ? "status " + status : t.getClass().getName());
            page(ctx, 500, notice("系统繁忙", "暂时无法处理，请稍后再试（编号 " + ref + "）。"));
        }
    }

    private String unknownLink() {
        return notice("链接无效", "这个报告链接无法识别，请核对短信中的完整链接。");
    }

    private String notice(String title, String message) {
        return pages.render("report-invalid", Map.of("title", title, "message", message, "hotline", hotline));
    }

    private String form(RoutingContext ctx, RiskCase c, Map<String, Object> values, Map<String, String> errors,
                        Optional<Instant> reportedAt) {
        Map<String, Object> vars = new HashMap<>();
        // Someone opening the SMS link again sees that their report arrived, and may send a new one if things changed.
        reportedAt.ifPresent(at -> vars.put("reportedAt", RECEIVED.format(at.atZone(zone))));
        vars.put("name", Masking.name(c.name()));
        vars.put("categoryName", c.category().chineseName());
        vars.put("deadline", DEADLINE.format(c.deadlineAt().atZone(zone)));
        vars.put("action", formPath(ctx));
        vars.put("values", values);
        vars.put("errors", errors);
        vars.put("hotline", hotline);
        // The phone's date picker offers no day after today (the server refuses one anyway).
        vars.put("today", clock.instant().atZone(zone).toLocalDate().toString());
        return pages.render("report-form", vars);
    }

    private static Map<String, Object> emptyValues() {
        Map<String, Object> m = new HashMap<>();
        FIELDS.forEach(f -> m.put(f, ""));
        return m;
    }

    /**
     * The pages have no script and one inline style sheet; nothing may frame them (a form that asks where someone
     * has been) and no Referer carries the link's token anywhere.
     */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'";

    private static void page(RoutingContext ctx, int status, String html) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8")
                .putHeader("Cache-Control", "no-store").putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Frame-Options", "DENY").putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer").end(html);
    }
}
