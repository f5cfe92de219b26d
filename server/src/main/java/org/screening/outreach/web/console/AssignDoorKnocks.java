package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.screening.outreach.domain.CaseId;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.ledger.DoorKnocks;
import org.screening.outreach.web.Blocking;

/**
 * {@code POST /console/door-knocks/assign}: the work list's bulk assignment, ticked tasks to one team leader. Each
 * task goes through {@link DoorKnocks#assign} as the API's assign does (one ledger event per task); a task outside
 * the user's scope or already finished is skipped and counted. The case page assigns its one task here too.
 */
public final class AssignDoorKnocks {
    static final int MAX_TASKS = 100;
    private final DoorKnocks doorKnocks;
    private final ConsolePages pages;
    private final Blocking blocking;
    private final Clock clock;

    public AssignDoorKnocks(DoorKnocks doorKnocks, ConsolePages pages, Blocking blocking, Clock clock) {
        this.doorKnocks = doorKnocks;
        this.pages = pages;
        this.blocking = blocking;
        this.clock = clock;
    }

    public void handle(RoutingContext ctx) {
        StaffUser user = ConsoleAuth.user(ctx);
        String assignee = assignee(ctx);
        List<Long> ids = new ArrayList<>();
        for (String s : ctx.request().formAttributes().getAll("task")) {
            try {
                if (ids.size() < MAX_TASKS) ids.add(Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                // not a task id: ignored like an unticked box
            }
        }
        // Back to the list the form was on: its filters and page are the form's too.
        String back = WorkListFilter.from(ctx.request().formAttributes()).href();
        if (assignee == null || ids.isEmpty()) {
            pages.redirect(ctx, back + "&assigned=invalid");
            return;
        }
        blocking.run(() -> assign(user, ids, assignee, t -> true))
                .onSuccess(done -> pages.redirect(ctx, back + "&assigned=" + done + "&of=" + ids.size())).onFailure(ctx::fail);
    }

    /**
     * {@code POST /console/cases/{id}/door-knock/assign}: the case page's one task, under the same rules; the task must
     * be this case's. Back to the case page with a notice, or with why not.
     */
    public void caseTask(RoutingContext ctx) {
        String caseId = ctx.pathParam("id");
        if (!CaseId.looksValid(caseId)) {
            pages.message(ctx, 404, "error.notFound.title", "error.notFound.text");
            return;
        }
        String back = "/console/cases/" + caseId;
        String assignee = assignee(ctx);
        long taskId;
        try {
            taskId = Long.parseLong(Optional.ofNullable(ctx.request().getFormAttribute("task")).orElse("").strip());
        } catch (NumberFormatException e) {
            taskId = -1;
        }
        if (assignee == null || taskId < 0) {
            pages.redirect(ctx, back + "?refused=assign");
            return;
        }
        StaffUser user = ConsoleAuth.user(ctx);
        List<Long> ids = List.of(taskId);
        blocking.run(() -> assign(user, ids, assignee, t -> t.caseId().equals(caseId)))
                .onSuccess(done -> pages.redirect(ctx, back + (done == 1 ? "?done=assigned" : "?refused=taskGone")))
                .onFailure(ctx::fail);
    }

    /** The typed assignee, or null when it is missing or too long. */
    private static String assignee(RoutingContext ctx) {
        String a = Optional.ofNullable(ctx.request().getFormAttribute("assignee")).map(String::strip).orElse("");
        return a.isEmpty() || a.length() > 100 ? null : a;
    }

    /**
     * Assigns each task that exists, lies in the user's scope and {@code belongs} accepts; a finished one is refused
     * by {@link DoorKnocks#assign}. Returns how many were assigned. On a worker thread.
     */
    private int assign(StaffUser user, List<Long> ids, String assignee, Predicate<DoorKnockTask> belongs) {
        int done = 0;
        for (long id : ids) {
            Optional<DoorKnockTask> t = doorKnocks.find(id);
            if (t.isEmpty() || !user.covers(t.get().jurisdiction()) || !belongs.test(t.get())) continue;
            if (doorKnocks.assign(id, assignee, user.actor(), clock.instant()) == DoorKnocks.Result.DONE) done++;
        }
        return done;
    }
}
