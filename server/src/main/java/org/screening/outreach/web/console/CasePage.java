package org.screening.outreach.web.console;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.DoorKnockOutcome;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.Jurisdiction;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.ledger.DoorKnocks;
import org.screening.outreach.web.Blocking;

/**
 * {@code /console/cases/{id}}: the case's header, its whole ledger as a timeline in words, and the staff actions
 * (reveal the phone, record a door knock, verify, close, hand to police review or to another jurisdiction). A refused action shows its reason on the page (409/400);
 * a case outside the user's scope is a 403 page, a missing one 404.
 */
public final class CasePage {
    /** The action forms' fields in page order, kept when a refused form is shown again. */
    private static final List<String> FIELDS = List.of("outcome", "cadre", "healthWorker", "police", "knockNote",
            "method", "note", "policeReason", "transferTo", "transferReason", "reason");
    /** The door-knock form's answers in page order; each missing one is named beside its own field. */
    private static final List<String> TEAM = List.of("cadre", "healthWorker", "police");
    private final CaseLedger ledger;
    private final DoorKnocks doorKnocks;
    private final CaseActions actions;
    private final ConsolePages pages;
    private final Views views;
    private final Blocking blocking;
    private final Clock clock;
    /** OUTREACH_JURISDICTION: who may read a case pushed here from outside it ({@link Jurisdiction#readable}). */
    private final String deployment;

    public CasePage(CaseLedger ledger, DoorKnocks doorKnocks, CaseActions actions, ConsolePages pages, Blocking blocking,
                    ZoneId zone, Clock clock, String deployment) {
        this.deployment = deployment;
        this.ledger = ledger;
        this.doorKnocks = doorKnocks;
        this.actions = actions;
        this.pages = pages;
        this.views = new Views(zone);
        this.blocking = blocking;
        this.clock = clock;
    }

    public void show(RoutingContext ctx) {
        String notice = ctx.queryParams().get("done");
        // A refusal sent back by a redirect (the door-knock assignment): only known reasons, never text from the URL.
        String refused = ctx.queryParams().get("refused");
        String error = "assign".equals(refused) ? "case.err.assign" : "taskGone".equals(refused) ? "case.err.taskGone" : null;
        render(ctx, 200, notice != null && notice.matches("[a-z_]{1,20}") ? "done." + notice : null, error, null, Map.of(),
                Map.of());
    }

    /** Fetch from the page's script gets JSON; a plain form post gets the case page with the number shown. */
    public void reveal(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        StaffUser user = ConsoleAuth.user(ctx);
        if (!CaseId.looksValid(id)) {
            pages.message(ctx, 404, "error.notFound.title", "error.notFound.text");
            return;
        }
        blocking.run(() -> Map.entry(actions.access(user, id), actions.revealPhone(user, id).map(Views::nationalPhone))).onSuccess(r -> {
            if (r.getKey() != CaseActions.Result.DONE || r.getValue().isEmpty()) {
                refused(ctx, r.getKey());
            } else if (String.valueOf(ctx.request().getHeader("Accept")).contains("application/json")) {
                ConsolePages.headers(ctx).putHeader("Content-Type", "application/json; charset=utf-8")
                        .end(new JsonObject().put("phone", r.getValue().get()).encode());
            } else {
                render(ctx, 200, null, null, r.getValue().get(), Map.of(), Map.of());
            }
        }).onFailure(ctx::fail);
    }

    public void verify(RoutingContext ctx) {
        String method = form(ctx, "method");
        if (!CaseActions.METHOD_SET.contains(method)) {
            invalid(ctx, Map.of("method", "case.err.method"));
            return;
        }
        String note = form(ctx, "note");
        act(ctx, "verified", user -> actions.verify(user, ctx.pathParam("id"), method, note.length() > 500 ? note.substring(0, 500) : note));
    }

    public void close(RoutingContext ctx) {
        String reason = form(ctx, "reason");
        if (reason.isEmpty() || reason.length() > 500) {
            invalid(ctx, Map.of("reason", "case.err.reason"));
            return;
        }
        act(ctx, "closed", user -> actions.close(user, ctx.pathParam("id"), reason));
    }

    public void policeReview(RoutingContext ctx) {
        String reason = form(ctx, "policeReason");
        if (reason.isEmpty() || reason.length() > 500) {
            invalid(ctx, Map.of("policeReason", "case.err.policeReason"));
            return;
        }
        act(ctx, "police", user -> actions.toPoliceReview(user, ctx.pathParam("id"), reason));
    }

    /** Re-sends the reminder SMS; a refusal (STOP, landline, one already on its way) is shown with its reason. */
    public void resendSms(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!CaseId.looksValid(id)) {
            pages.message(ctx, 404, "error.notFound.title", "error.notFound.text");
            return;
        }
        StaffUser user = ConsoleAuth.user(ctx);
        blocking.run(() -> actions.resendSms(user, id)).onSuccess(r -> {
            if (r.result() == CaseActions.Result.DONE) pages.redirect(ctx, "/console/cases/" + id + "?done=sms");
            else if (r.refusal() != null) render(ctx, 409, null, "case.err.sms." + r.refusal().name().toLowerCase(java.util.Locale.ROOT),
                    null, formValues(ctx), Map.of());
            else refused(ctx, r.result());
        }).onFailure(ctx::fail);
    }

    public void transfer(RoutingContext ctx) {
        String to = WorkListFilter.code(form(ctx, "transferTo"));
        String reason = form(ctx, "transferReason");
        Map<String, String> errors = new HashMap<>();
        if (!to.matches("\\d{2,12}")) errors.put("transferTo", "case.err.transferTo");
        if (reason.isEmpty() || reason.length() > 500) errors.put("transferReason", "case.err.transferReason");
        if (errors.isEmpty() && actions.transferProblem(to, reason) != null) errors.put("transferTo", "case.err.transferOurs");
        if (!errors.isEmpty()) {
            invalid(ctx, errors);
        } else {
            act(ctx, "transferred", user -> actions.transfer(user, ctx.pathParam("id"), to, reason));
        }
    }

    public void doorKnock(RoutingContext ctx) {
        Optional<DoorKnockOutcome> outcome = DoorKnockOutcome.parse(form(ctx, "outcome"));
        DoorKnockTask.Team team = new DoorKnockTask.Team(form(ctx, "cadre"), form(ctx, "healthWorker"), form(ctx, "police"));
        long taskId;
        try {
            taskId = Long.parseLong(form(ctx, "task"));
        } catch (NumberFormatException e) {
            taskId = -1;
        }
        Map<String, String> errors = new HashMap<>();
        if (outcome.isEmpty()) errors.put("outcome", "case.err.outcome");
        // The seeds' door knock is a 3-person team; a result without all three is not a door knock.
        for (String member : TEAM) {
            String name = form(ctx, member);
            if (name.isEmpty() || name.length() > 50) errors.put(member, "case.err." + member);
        }
        if (!errors.isEmpty()) {
            invalid(ctx, errors);
        } else {
            long task = taskId;
            String note = form(ctx, "knockNote");
            String submission = form(ctx, "submission");
            act(ctx, "door_knock", user -> actions.recordDoorKnock(user, ctx.pathParam("id"), task, outcome.get(), team,
                    note.length() > 500 ? note.substring(0, 500) : note,
                    submission.matches("[A-Za-z0-9_-]{43}") ? submission : null));
        }
    }

    /** A form refused for its answers: shown again as typed, each error beside its field (field name → message key). */
    private void invalid(RoutingContext ctx, Map<String, String> errors) {
        render(ctx, 400, null, "case.err.fix", null, formValues(ctx), errors);
    }

    private interface Action {
        CaseActions.Result apply(StaffUser user) throws Exception;
    }

    /** Runs the action on a worker; success goes back to the case page (POST-redirect-GET), refusal shows why. */
    private void act(RoutingContext ctx, String done, Action action) {
        String id = ctx.pathParam("id");
        if (!CaseId.looksValid(id)) {
            pages.message(ctx, 404, "error.notFound.title", "error.notFound.text");
            return;
        }
        StaffUser user = ConsoleAuth.user(ctx);
        blocking.run(() -> action.apply(user)).onSuccess(r -> {
            switch (r) {
                case DONE -> pages.redirect(ctx, "/console/cases/" + id + "?done=" + done);
                case NOT_ALLOWED -> render(ctx, 409, null, done.equals("closed") ? "case.err.notVerified" : "case.err.notAllowed",
                        null, formValues(ctx), Map.of());
                case TASK_GONE -> render(ctx, 409, null, "case.err.taskGone", null, formValues(ctx), Map.of());
                default -> refused(ctx, r);
            }
        }).onFailure(ctx::fail);
    }

    private void refused(RoutingContext ctx, CaseActions.Result r) {
        if (r == CaseActions.Result.FORBIDDEN) pages.message(ctx, 403, "error.forbidden.title", "error.forbidden.text");
        else pages.message(ctx, 404, "error.notFound.title", "error.notFound.text");
    }

    /**
     * Loads case, events and active door-knock task on a worker, then renders with an optional notice or error, and
     * the refused form's field errors (field name → message key) beside their fields.
     */
    private void render(RoutingContext ctx, int status, String noticeKey, String errorKey, String revealedPhone,
                        Map<String, String> values, Map<String, String> fieldErrors) {
        String id = ctx.pathParam("id");
        StaffUser user = ConsoleAuth.user(ctx);
        if (!CaseId.looksValid(id)) {
            pages.message(ctx, 404, "error.notFound.title", "error.notFound.text");
            return;
        }
        Messages m = pages.messages(ctx);
        Instant now = clock.instant();
        blocking.run(() -> {
            Optional<RiskCase> c = ledger.find(id);
            if (c.isEmpty() || !readable(user, c.get())) return new Loaded(c, List.of(), null);
            // By the case, not among the community's soonest tasks: a big push leaves thousands open.
            DoorKnockTask task = doorKnocks.activeFor(id).orElse(null);
            return new Loaded(c, ledger.events(id), task);
        }).onSuccess(l -> {
            if (l.riskCase().isEmpty()) {
                pages.message(ctx, 404, "error.notFound.title", "error.notFound.text");
                return;
            }
            if (!readable(user, l.riskCase().get())) {
                pages.message(ctx, 403, "error.forbidden.title", "error.forbidden.text");
                return;
            }
            RiskCase c = l.riskCase().get();
            Map<String, Object> vars = new HashMap<>();
            // Staff of the case's own jurisdiction knock on its door: they see the name; others (a deployment-wide
            // reader of a case pushed here from outside) keep the mask.
            boolean ours = user.covers(c.jurisdiction());
            Map<String, Object> view = views.riskCase(c, l.task(), now, m, ours);
            vars.put("address", ours ? views.reportedAddress(l.events()) : null);
            if (revealedPhone != null) view.put("phone", revealedPhone);
            vars.put("c", view);
            vars.put("revealed", revealedPhone != null);
            List<Map<String, Object>> events = new ArrayList<>();
            l.events().forEach(e -> events.add(views.event(e, m)));
            vars.put("events", events);
            vars.put("open", c.status().isOpen());
            vars.put("canVerify", CaseActions.canVerify(c.status()));
            vars.put("closeable", c.status() == CaseStatus.VERIFIED);
            vars.put("canPolice", CaseActions.canSendToPolice(c.status()));
            vars.put("canResendSms", CaseActions.canResendSms(c));
            vars.put("canTransfer", CaseActions.canTransfer(c.status()));
            vars.put("methods", options(CaseActions.METHODS, "method.", m));
            List<String> outcomes = new ArrayList<>();
            for (DoorKnockOutcome o : DoorKnockOutcome.values()) outcomes.add(o.name());
            vars.put("outcomes", options(outcomes, "outcome.", m));
            vars.put("notice", noticeKey == null ? "" : m.get(noticeKey));
            vars.put("error", errorKey == null ? "" : m.get(errorKey));
            Map<String, String> errors = new HashMap<>();
            fieldErrors.forEach((field, key) -> errors.put(field, m.get(key)));
            vars.put("errors", errors);
            // The first field to mend takes the focus, so a phone's keyboard opens on it.
            vars.put("firstInvalid", FIELDS.stream().filter(errors::containsKey).findFirst().orElse(""));
            Map<String, String> v = new HashMap<>();
            for (String f : FIELDS) v.put(f, "");
            v.putAll(values);
            vars.put("v", v);
            vars.put("nowMillis", String.valueOf(now.toEpochMilli()));
            vars.put("back", ConsolePages.listHref(ctx));
            // A new key for each showing of the door-knock form: the same form sent twice records one visit.
            vars.put("submission", SessionRules.newSecret());
            pages.send(ctx, status, "case", vars);
        }).onFailure(ctx::fail);
    }

    private record Loaded(Optional<RiskCase> riskCase, List<org.screening.outreach.domain.LedgerEvent> events,
                          DoorKnockTask task) {}

    private static List<Map<String, Object>> options(List<String> values, String keyPrefix, Messages m) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String v : values) out.add(Map.of("value", v, "label", m.getOr(keyPrefix + v, v)));
        return out;
    }

    private static String form(RoutingContext ctx, String name) {
        String v = ctx.request().getFormAttribute(name);
        return v == null ? "" : v.strip();
    }

    /** What the user typed, so a refused form keeps it. */
    private static Map<String, String> formValues(RoutingContext ctx) {
        Map<String, String> v = new HashMap<>();
        for (String f : FIELDS) {
            String s = form(ctx, f);
            v.put(f, s.length() > 500 ? s.substring(0, 500) : s);
        }
        return v;
    }

    private boolean readable(StaffUser user, RiskCase c) {
        return Jurisdiction.readable(user.jurisdictionPrefix(), deployment, c.jurisdiction());
    }
}
