package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.web.Blocking;

/**
 * {@code GET /console}: the cases of the user's jurisdiction that need staff, soonest deadline first, in tabs
 * (all open / unanswered / door knock / due soon), with filters and pages. Unknown filter values are ignored
 * rather than refused: a hand-edited link still shows a list.
 */
public final class WorkListPage {
    static final int PAGE_SIZE = 20;
    private final WorkList workList;
    private final ConsolePages pages;
    private final Views views;
    private final Blocking blocking;
    private final Clock clock;
    /** "Due soon" means within this long of the deadline, or past it (OUTREACH_DUE_SOON_MINUTES). */
    private final Duration dueSoon;

    public WorkListPage(WorkList workList, ConsolePages pages, Blocking blocking, ZoneId zone, Clock clock,
                        Duration dueSoon) {
        this.workList = workList;
        this.pages = pages;
        this.views = new Views(zone);
        this.blocking = blocking;
        this.clock = clock;
        this.dueSoon = dueSoon;
    }

    public void show(RoutingContext ctx) {
        StaffUser user = ConsoleAuth.user(ctx);
        Messages m = pages.messages(ctx);
        WorkList.Section section = parse(WorkList.Section.class, ctx.queryParams().get("section"), WorkList.Section.ALL);
        CaseStatus status = parse(CaseStatus.class, ctx.queryParams().get("status"), null);
        Category category = parse(Category.class, ctx.queryParams().get("category"), null);
        String community = param(ctx, "community");
        // A community filter can only narrow the user's own scope; a code outside it is ignored and said so.
        boolean outside = !community.isEmpty() && (!Jurisdiction.isValidPrefix(community)
                || !community.startsWith(user.jurisdictionPrefix()));
        String prefix = community.isEmpty() || outside ? user.jurisdictionPrefix() : community;
        int page = Math.max(1, Math.min(10_000, parseInt(param(ctx, "page"))));
        Instant now = clock.instant();
        Instant dueBefore = now.plus(dueSoon);
        WorkList.Query q = new WorkList.Query(prefix, section, status, category, dueBefore, (page - 1) * PAGE_SIZE, PAGE_SIZE);
        blocking.run(() -> Map.entry(workList.find(q), workList.counts(prefix, dueBefore))).onSuccess(r -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            r.getKey().rows().forEach(row -> rows.add(views.riskCase(row.riskCase(), row.task(), now, m)));
            Map<String, Object> vars = new HashMap<>();
            vars.put("rows", rows);
            vars.put("tabs", tabs(section, r.getValue(), status, category, community, m));
            vars.put("section", section.name());
            vars.put("statusFilter", status == null ? "" : status.name());
            vars.put("categoryFilter", category == null ? "" : category.name());
            vars.put("community", community);
            vars.put("outside", outside);
            vars.put("statuses", options(CaseStatus.values(), "status.", m));
            vars.put("categories", options(Category.values(), "category.", m));
            vars.put("page", page);
            vars.put("prevHref", page > 1 ? href(section, status, category, community, page - 1) : "");
            vars.put("nextHref", r.getKey().more() ? href(section, status, category, community, page + 1) : "");
            vars.put("nowMillis", String.valueOf(now.toEpochMilli()));
            vars.put("dueSoonMinutes", dueSoon.toMinutes());
            // Bulk assignment lives on the door-knock tab, where the tasks are.
            vars.put("anyTask", section == WorkList.Section.DOOR_KNOCK
                    && r.getKey().rows().stream().anyMatch(row -> row.task() != null));
            vars.put("notice", assigned(ctx, m, false));
            vars.put("error", assigned(ctx, m, true));
            pages.send(ctx, 200, "worklist", vars);
        }).onFailure(ctx::fail);
    }

    /** The outcome of a bulk assignment the browser was sent back with ("" when there was none). */
    private static String assigned(RoutingContext ctx, Messages m, boolean error) {
        String done = param(ctx, "assigned");
        if (done.isEmpty()) return "";
        if (done.equals("invalid")) return error ? m.get("assign.invalid") : "";
        if (error) return "";
        int n = Math.max(0, parseInt(done));
        int of = Math.max(n, parseInt(param(ctx, "of")));
        return n == of ? m.fmt("assign.done", n) : m.fmt("assign.partly", n, of - n);
    }

    private static List<Map<String, Object>> tabs(WorkList.Section current, Map<WorkList.Section, Long> counts,
                                                  CaseStatus status, Category category, String community, Messages m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (WorkList.Section s : WorkList.Section.values()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("label", m.get("section." + s.name()));
            t.put("count", counts.getOrDefault(s, 0L));
            t.put("href", href(s, status, category, community, 1));
            t.put("current", s == current);
            out.add(t);
        }
        return out;
    }

    private static List<Map<String, Object>> options(Enum<?>[] values, String keyPrefix, Messages m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Enum<?> v : values) out.add(Map.of("value", v.name(), "label", m.getOr(keyPrefix + v.name(), v.name())));
        return out;
    }

    static String href(WorkList.Section s, CaseStatus status, Category category, String community, int page) {
        StringBuilder b = new StringBuilder("/console?section=").append(s.name());
        if (status != null) b.append("&status=").append(status.name());
        if (category != null) b.append("&category=").append(category.name());
        if (!community.isEmpty()) b.append("&community=").append(URLEncoder.encode(community, StandardCharsets.UTF_8));
        if (page > 1) b.append("&page=").append(page);
        return b.toString();
    }

    private static String param(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        return v == null ? "" : v.strip();
    }

    private static int parseInt(String s) {
        try {
            return s.isEmpty() ? 1 : Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String value, E fallback) {
        if (value == null || value.isBlank()) return fallback;
        try {
            return Enum.valueOf(type, value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }
}
