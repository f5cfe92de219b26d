package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
        WorkListFilter f = WorkListFilter.from(ctx.queryParams());
        WorkList.Section section = f.section();
        CaseStatus status = f.status();
        Category category = f.category();
        String community = f.community();
        // A community filter can only narrow the user's own scope; a code outside it is ignored and said so.
        boolean outside = !community.isEmpty() && (!Jurisdiction.isValidPrefix(community)
                || !community.startsWith(user.jurisdictionPrefix()));
        String prefix = community.isEmpty() || outside ? user.jurisdictionPrefix() : community;
        int page = f.page();
        Instant now = clock.instant();
        Instant dueBefore = now.plus(dueSoon);
        WorkList.Query q = new WorkList.Query(prefix, section, status, category, dueBefore, (page - 1) * PAGE_SIZE, PAGE_SIZE);
        pages.rememberList(ctx, f);
        blocking.run(() -> Map.entry(workList.find(q), workList.counts(prefix, dueBefore))).onSuccess(r -> {
            if (page > 1 && r.getKey().rows().isEmpty()) {
                // Cases done from a later page leave it empty: "nothing to do" there would hide the earlier pages.
                pages.redirect(ctx, f.atPage(1).href());
                return;
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (WorkList.Row row : r.getKey().rows()) {
                boolean ours = user.covers(row.riskCase().jurisdiction());
                Map<String, Object> view = views.riskCase(row.riskCase(), row.task(), now, m, ours);
                Map<String, Object> address = ours ? views.reportedAddress(row.selfReports()) : null;
                view.put("address", address == null ? "" : address.get("text"));
                rows.add(view);
            }
            Map<String, Object> vars = new HashMap<>();
            vars.put("rows", rows);
            vars.put("tabs", tabs(f, r.getValue(), m));
            vars.put("section", section.name());
            vars.put("statusFilter", status == null ? "" : status.name());
            vars.put("categoryFilter", category == null ? "" : category.name());
            vars.put("community", community);
            vars.put("outside", outside);
            // Only the statuses this tab can list: any other would filter it to nothing.
            vars.put("statuses", options(java.util.Arrays.stream(CaseStatus.values())
                    .filter(section.statuses()::contains).toArray(CaseStatus[]::new), "status.", m));
            vars.put("categories", options(Category.values(), "category.", m));
            vars.put("page", page);
            vars.put("prevHref", page > 1 ? f.atPage(page - 1).href() : "");
            vars.put("nextHref", r.getKey().more() ? f.atPage(page + 1).href() : "");
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
        int n = Math.max(0, WorkListFilter.parseInt(done));
        int of = Math.max(n, WorkListFilter.parseInt(param(ctx, "of")));
        return n == of ? m.fmt("assign.done", n) : m.fmt("assign.partly", n, of - n);
    }

    private static List<Map<String, Object>> tabs(WorkListFilter current, Map<WorkList.Section, Long> counts, Messages m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (WorkList.Section s : WorkList.Section.values()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("label", m.get("section." + s.name()));
            t.put("count", counts.getOrDefault(s, 0L));
            t.put("href", current.inSection(s).href());
            t.put("current", s == current.section());
            out.add(t);
        }
        return out;
    }

    private static List<Map<String, Object>> options(Enum<?>[] values, String keyPrefix, Messages m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Enum<?> v : values) out.add(Map.of("value", v.name(), "label", m.getOr(keyPrefix + v.name(), v.name())));
        return out;
    }

    private static String param(RoutingContext ctx, String name) {
        String v = ctx.queryParams().get(name);
        return v == null ? "" : v.strip();
    }
}
