package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.intake.CaseSubmission;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.IntakeSummary;
import org.screening.outreach.dispatch.CapacityCheck;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/** {@code POST /api/v1/cases} (JSON push), {@code GET /api/v1/cases} and {@code GET /api/v1/cases/{id}}. */
public final class CasesApi {
    private static final int MAX_PAGE = 500;
    private final IntakeService intake;
    private final CaseLedger ledger;
    private final Blocking blocking;
    private final IntakeReplies replies;
    private final CaseJson json;
    private final Clock clock;
    private final IntakeCounters counters;
    private final CapacityCheck capacity;
    /** OUTREACH_JURISDICTION: who may read a case pushed here from outside it ({@link Jurisdiction#readable}). */
    private final String deployment;

    /** {@code capacity} is null on a node that runs no dispatcher. */
    public CasesApi(IntakeService intake, CaseLedger ledger, Blocking blocking, IntakeReplies replies,
                    IntakeCounters counters, CapacityCheck capacity, java.time.ZoneId zone, Clock clock,
                    String deployment) {
        this.deployment = deployment;
        this.counters = counters;
        this.capacity = capacity;
        this.intake = intake;
        this.ledger = ledger;
        this.blocking = blocking;
        this.replies = replies;
        this.json = new CaseJson(zone);
        this.clock = clock;
    }

    public void push(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        JsonObject body = Bodies.object(ctx, "'source' and 'cases'");
        if (body == null) return;
        Object source = body.getValue("source");
        String sourceProblem = source instanceof String s ? IntakeService.sourceProblem(s) : "source must be a string";
        if (sourceProblem != null) {
            Replies.error(ctx, 400, "invalid_request", sourceProblem);
            return;
        }
        if (!(body.getValue("cases") instanceof JsonArray cases)) {
            Replies.error(ctx, 400, "invalid_request", "cases must be an array");
            return;
        }
        List<CaseSubmission> rows = new ArrayList<>(cases.size());
        List<Integer> notObjects = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            if (cases.getValue(i) instanceof JsonObject o) rows.add(submission(i + 1, o));
            else notObjects.add(i + 1);
        }
        IntakeReplies.Collected collected = replies.collect();
        notObjects.forEach(row -> collected.rejected(new org.screening.outreach.intake.RowError(row, "case",
                "each entry of cases must be an object")));
        Instant started = clock.instant();
        blocking.run(() -> {
                    IntakeSummary summary = intake.ingest((String) source, caller.jurisdictionPrefix(), caller.actor(),
                            sink -> rows.forEach(sink), collected);
                    counters.count(summary);
                    Integer shortfall = capacity == null ? null : capacity.afterIntake((String) source, started);
                    return collected.toJson(summary, notObjects.size(), shortfall);
                })
                .onSuccess(answer -> Replies.json(ctx, 200, answer))
                .onFailure(ctx::fail);
    }

    private static CaseSubmission submission(int row, JsonObject o) {
        return new CaseSubmission(row, text(o, "externalId"), text(o, "name"), text(o, "phone"), text(o, "idNumber"),
                text(o, "category"), text(o, "jurisdiction"), text(o, "pushedAt"), text(o, "language"));
    }

    /** Numbers are accepted where text is expected (a phone pushed as 13800138000). */
    private static String text(JsonObject o, String key) {
        Object v = o.getValue(key);
        if (v == null) return "";
        if (v instanceof Number n) return new java.math.BigDecimal(n.toString()).toPlainString();
        return v instanceof String s ? s : v.toString();
    }

    public void list(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        Map<String, List<String>> q = new java.util.HashMap<>();
        ctx.queryParams().forEach(e -> q.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        ListScope scope = ListScope.of(ctx, caller, first(q, "jurisdiction").orElse(null));
        if (scope == null) return;
        CaseStatus status = null;
        Category category = null;
        Boolean overdue = null;
        int limit;
        try {
            status = first(q, "status").map(s -> CaseStatus.valueOf(s.strip().toUpperCase(java.util.Locale.ROOT))).orElse(null);
        } catch (IllegalArgumentException e) {
            Replies.error(ctx, 400, "invalid_request", "unknown status; use one of " + java.util.Arrays.toString(CaseStatus.values()));
            return;
        }
        Optional<String> cat = first(q, "category");
        if (cat.isPresent()) {
            category = Category.parse(cat.get()).orElse(null);
            if (category == null) {
                Replies.error(ctx, 400, "invalid_request", "unknown category");
                return;
            }
        }
        Optional<String> od = first(q, "overdue");
        if (od.isPresent()) {
            if (!od.get().equals("true") && !od.get().equals("false")) {
                Replies.error(ctx, 400, "invalid_request", "overdue must be true or false");
                return;
            }
            overdue = Boolean.valueOf(od.get());
        }
        try {
            limit = Integer.parseInt(first(q, "limit").orElse("100"));
            if (limit < 1 || limit > MAX_PAGE) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            Replies.error(ctx, 400, "invalid_request", "limit must be between 1 and " + MAX_PAGE);
            return;
        }
        String after = first(q, "after").orElse(null);
        if (after != null && !CaseId.looksValid(after)) {
            Replies.error(ctx, 400, "invalid_request", "after must be a case id from a previous page's 'next'");
            return;
        }
        Instant now = clock.instant();
        CaseLedger.Filter filter = new CaseLedger.Filter(scope.prefix(), status, category, overdue, now, after, limit);
        blocking.run(() -> after != null && ledger.find(after).isEmpty() ? null : ledger.list(filter)).onSuccess(page -> {
            if (page == null) {
                Replies.error(ctx, 400, "invalid_request", "after must be a case id from a previous page's 'next'");
                return;
            }
            JsonArray items = new JsonArray();
            page.cases().forEach(c -> items.add(json.riskCase(c, now, false, false)));
            Replies.json(ctx, 200, scope.describe(new JsonObject().put("cases", items).put("next", page.next())));
        }).onFailure(ctx::fail);
    }

    /** {@code ?reveal=phone,idNumber} shows the full values and writes who looked into the ledger. */
    public void get(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        String id = ctx.pathParam("id");
        if (!CaseId.looksValid(id)) {
            Replies.error(ctx, 404, "not_found", "no case with this id");
            return;
        }
        String reveal = Optional.ofNullable(ctx.queryParams().get("reveal")).orElse("");
        boolean revealPhone = List.of(reveal.split(",")).contains("phone");
        boolean revealId = List.of(reveal.split(",")).contains("idNumber");
        Instant now = clock.instant();
        blocking.run(() -> {
            Optional<RiskCase> found = ledger.find(id);
            if (found.isEmpty() || !readable(caller, found.get())) return found;
            if (revealPhone || revealId) {
                ledger.append(new LedgerEvent(id, "REVEALED", now, caller.actor(),
                        Map.of("fields", reveal, "by", caller.name())));
            }
            return found;
        }).compose(found -> {
            if (found.isEmpty()) {
                Replies.error(ctx, 404, "not_found", "no case with this id");
                return io.vertx.core.Future.succeededFuture();
            }
            if (!readable(caller, found.get())) {
                Replies.error(ctx, 403, "forbidden", "this case is outside your scope");
                return io.vertx.core.Future.succeededFuture();
            }
            return blocking.run(() -> ledger.events(id)).onSuccess(events -> {
                JsonObject out = json.riskCase(found.get(), now, revealPhone, revealId);
                out.put("events", json.events(events));
                Replies.json(ctx, 200, out);
            }).mapEmpty();
        }).onFailure(ctx::fail);
    }

    private boolean readable(Caller caller, RiskCase c) {
        return Jurisdiction.readable(caller.jurisdictionPrefix(), deployment, c.jurisdiction());
    }

    private static Optional<String> first(Map<String, List<String>> q, String key) {
        List<String> v = q.get(key);
        return v == null || v.isEmpty() || v.get(0).isBlank() ? Optional.empty() : Optional.of(v.get(0).strip());
    }
}
