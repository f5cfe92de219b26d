package org.screening.outreach.web.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.screening.outreach.domain.DoorKnockOutcome;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.ledger.DoorKnocks;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/** {@code /api/v1/door-knocks}: the community's door-knock list, assignment and the team's findings. */
public final class DoorKnocksApi {
    /** The most tasks one answer lists, soonest due first. */
    static final int MAX_TASKS = 500;
    private final DoorKnocks tasks;
    private final Blocking blocking;
    private final CaseJson json;
    private final Clock clock;

    public DoorKnocksApi(DoorKnocks tasks, Blocking blocking, ZoneId zone, Clock clock) {
        this.tasks = tasks;
        this.blocking = blocking;
        this.json = new CaseJson(zone);
        this.clock = clock;
    }

    public void list(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        ListScope scope = ListScope.of(ctx, caller, ctx.queryParams().get("jurisdiction"));
        if (scope == null) return;
        DoorKnockTask.Status status = null;
        String s = ctx.queryParams().get("status");
        if (s != null && !s.isBlank()) {
            try {
                status = DoorKnockTask.Status.valueOf(s.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                Replies.error(ctx, 400, "invalid_request", "status must be one of "
                        + Arrays.toString(DoorKnockTask.Status.values()));
                return;
            }
        }
        DoorKnockTask.Status filter = status;
        // One more than shown: a county with more tasks than one answer holds is told so, not handed a silent cut.
        blocking.run(() -> tasks.list(scope.prefix(), filter, MAX_TASKS + 1)).onSuccess(list -> {
            JsonArray items = new JsonArray();
            list.stream().limit(MAX_TASKS).forEach(t -> items.add(task(t)));
            JsonObject answer = scope.describe(new JsonObject().put("tasks", items));
            if (list.size() > MAX_TASKS) {
                answer.put("truncated", true).put("message", "only the " + MAX_TASKS + " soonest due tasks are listed; "
                        + "ask for a narrower jurisdiction or a status to see the others");
            }
            Replies.json(ctx, 200, answer);
        }).onFailure(ctx::fail);
    }

    public void assign(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, "assignee");
        if (body == null) return;
        String assignee = Bodies.text(body, "assignee");
        if (assignee.isEmpty() || assignee.length() > 100) {
            Replies.error(ctx, 400, "invalid_request", "assignee is required (up to 100 characters)");
            return;
        }
        Caller caller = BearerAuth.caller(ctx);
        withTask(ctx, caller, id -> tasks.assign(id, assignee, caller.actor(), clock.instant()));
    }

    public void outcome(RoutingContext ctx) {
        JsonObject body = Bodies.object(ctx, "outcome and team");
        if (body == null) return;
        Optional<DoorKnockOutcome> outcome = DoorKnockOutcome.parse(Bodies.text(body, "outcome"));
        if (outcome.isEmpty()) {
            Replies.error(ctx, 400, "invalid_request", "outcome must be one of " + Arrays.toString(DoorKnockOutcome.values()));
            return;
        }
        JsonObject t = body.getValue("team") instanceof JsonObject o ? o : null;
        DoorKnockTask.Team team = new DoorKnockTask.Team(Bodies.text(t, "cadre"), Bodies.text(t, "healthWorker"),
                Bodies.text(t, "police"));
        if (team.cadre().isEmpty() || team.healthWorker().isEmpty() || team.police().isEmpty()) {
            // The seeds' door knock is a 3-person team; a result without all three is not a door knock.
            Replies.error(ctx, 400, "invalid_request",
                    "team needs the community cadre, health worker and police: {\"cadre\", \"healthWorker\", \"police\"}");
            return;
        }
        String note = Bodies.text(body, "note");
        if (Bodies.tooLong(ctx, "team.cadre", team.cadre(), 50) || Bodies.tooLong(ctx, "team.healthWorker", team.healthWorker(), 50)
                || Bodies.tooLong(ctx, "team.police", team.police(), 50) || Bodies.tooLong(ctx, "note", note, 500)) {
            return;
        }
        Caller caller = BearerAuth.caller(ctx);
        withTask(ctx, caller, id -> tasks.record(id, outcome.get(), team, note, caller.actor(), clock.instant()));
    }

    private interface Action {
        DoorKnocks.Result apply(long id) throws Exception;
    }

    /** Finds the task, checks the caller's scope, runs the action and answers with the task as it now is. */
    private void withTask(RoutingContext ctx, Caller caller, Action action) {
        long id;
        try {
            id = Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Replies.error(ctx, 404, "not_found", "no door-knock task with this id");
            return;
        }
        blocking.run(() -> {
            Optional<DoorKnockTask> t = tasks.find(id);
            if (t.isEmpty()) return new Answer(404, null);
            if (!caller.covers(t.get().jurisdiction())) return new Answer(403, null);
            DoorKnocks.Result r = action.apply(id);
            return new Answer(r == DoorKnocks.Result.NOT_ACTIVE ? 409 : 200, tasks.find(id).orElseThrow());
        }).onSuccess(a -> {
            switch (a.status()) {
                case 404 -> Replies.error(ctx, 404, "not_found", "no door-knock task with this id");
                case 403 -> Replies.error(ctx, 403, "forbidden", "this task is outside your scope");
                case 409 -> Replies.error(ctx, 409, "conflict", "the task is " + a.task().status() + " and can no longer change");
                default -> Replies.json(ctx, 200, task(a.task()));
            }
        }).onFailure(ctx::fail);
    }

    private record Answer(int status, DoorKnockTask task) {}

    private JsonObject task(DoorKnockTask t) {
        return new JsonObject().put("id", t.id()).put("caseId", t.caseId()).put("jurisdiction", t.jurisdiction())
                .put("createdAt", json.time(t.createdAt())).put("dueAt", json.time(t.dueAt()))
                .put("status", t.status().name()).put("reason", t.reason()).put("assignee", t.assignee());
    }
}
