package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.ledger.DoorKnocks;
import org.screening.outreach.web.Blocking;

/**
 * {@code POST /console/door-knocks/assign}: the work list's bulk assignment, ticked tasks to one team leader. Each
 * task goes through {@link DoorKnocks#assign} as the API's assign does (one ledger event per task); a task outside
 * the user's scope or already finished is skipped and counted.
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
        String assignee = Optional.ofNullable(ctx.request().getFormAttribute("assignee")).map(String::strip).orElse("");
        List<Long> ids = new ArrayList<>();
        for (String s : ctx.request().formAttributes().getAll("task")) {
            try {
                if (ids.size() < MAX_TASKS) ids.add(Long.parseLong(s.strip()));
            } catch (NumberFormatException e) {
                // not a task id: ignored like an unticked box
            }
        }
        String back = WorkListPage.href(WorkList.Section.DOOR_KNOCK, null, null, "", 1);
        if (assignee.isEmpty() || assignee.length() > 100 || ids.isEmpty()) {
            pages.redirect(ctx, back + "&assigned=invalid");
            return;
        }
        blocking.run(() -> {
            int done = 0;
            for (long id : ids) {
                Optional<DoorKnockTask> t = doorKnocks.find(id);
                if (t.isEmpty() || !user.covers(t.get().jurisdiction())) continue;
                if (doorKnocks.assign(id, assignee, user.actor(), clock.instant()) == DoorKnocks.Result.DONE) done++;
            }
            return done;
        }).onSuccess(done -> pages.redirect(ctx, back + "&assigned=" + done + "&of=" + ids.size())).onFailure(ctx::fail);
    }
}
