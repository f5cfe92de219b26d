package org.screening.outreach.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns a category's retry plan into concrete attempts for one case: the first SMS and call at intake, each
 * further call after an outcome, and the escalation point after which the case goes to a door knock instead.
 * Nothing is planned at or past the escalation point: by then community staff own the case.
 */
public final class ContactPlanner {
    private final RetryPlans plans;
    private final QuietHours quiet;

    public ContactPlanner(RetryPlans plans, QuietHours quiet) {
        this.plans = plans;
        this.quiet = quiet;
    }

    public record PlannedAttempt(ChannelKind kind, int seq, Instant dueAt) {}

    public record Plan(List<PlannedAttempt> attempts, Instant escalateAt) {}

    public Plan initial(RiskCase c) {
        RetryPlan p = plans.of(c.category());
        Instant escalateAt = escalateAt(c);
        List<PlannedAttempt> out = new ArrayList<>();
        if (c.smsCapable()) {
            // The self-report link is worth sending even late, so SMS is not cut at the escalation point.
            for (int i = 0; i < p.smsAt().size(); i++) {
                out.add(new PlannedAttempt(ChannelKind.SMS, i + 1, respectQuiet(p, c.receivedAt().plus(p.smsAt().get(i)))));
            }
        }
        if (!p.callsAt().isEmpty()) {
            Instant due = respectQuiet(p, c.receivedAt().plus(p.callsAt().get(0)));
            if (due.isBefore(escalateAt)) out.add(new PlannedAttempt(ChannelKind.VOICE, 1, due));
        }
        return new Plan(out, escalateAt);
    }

    /**
     * The call after {@code callsMade} calls ended with {@code last}: a busy line is tried again soon, anything
     * else at the plan's next offset. Empty when the plan is used up or the next call would be too late.
     */
    public Optional<PlannedAttempt> nextCall(RiskCase c, int callsMade, AttemptOutcome last, Instant now) {
        return nextCall(c, callsMade, last, null, now);
    }

    /**
     * As above; {@code lastDue} is when the call just made was due (null: as planned). A call held later than its
     * offset (quiet hours, a stricter push) keeps the plan's gap to the next one, so retries do not all go at once.
     */
    public Optional<PlannedAttempt> nextCall(RiskCase c, int callsMade, AttemptOutcome last, Instant lastDue,
                                             Instant now) {
        if (last.reachedPerson()) return Optional.empty();
        RetryPlan p = plans.of(c.category());
        if (callsMade >= p.callsAt().size()) return Optional.empty();
        Instant planned = c.receivedAt().plus(p.callsAt().get(callsMade));
        if (lastDue != null && callsMade >= 1) {
            planned = later(planned, lastDue.plus(p.callsAt().get(callsMade).minus(p.callsAt().get(callsMade - 1))));
        }
        Instant due = last == AttemptOutcome.BUSY ? now.plus(p.busyRetry()) : later(now, planned);
        due = respectQuiet(p, due);
        if (!due.isBefore(escalateAt(c))) return Optional.empty();
        return Optional.of(new PlannedAttempt(ChannelKind.VOICE, callsMade + 1, due));
    }

    /**
     * The soonest a text or call of this case may go from {@code now}: now, or the end of quiet hours for a
     * category that keeps them (a stricter push brings planned attempts forward, but not into the night).
     */
    public Instant earliest(RiskCase c, Instant now) {
        return earliest(c.category(), now);
    }

    /** As above, for a case of {@code category}. */
    public Instant earliest(Category category, Instant now) {
        return respectQuiet(plans.of(category), now);
    }

    /**
     * The next call of a case pushed again with a stricter category while none of its calls is waiting (quiet hours
     * held its first call past its old escalation point, so it has none): now, or after quiet hours if the stricter
     * category keeps them, when that is before the case's escalation point {@code escalateAt}.
     */
    public Optional<PlannedAttempt> callOnStricterPush(RiskCase push, Instant escalateAt, int callsMade, Instant now) {
        if (callsMade >= plans.of(push.category()).callsAt().size()) return Optional.empty();
        Instant due = earliest(push, now);
        return due.isBefore(escalateAt) ? Optional.of(new PlannedAttempt(ChannelKind.VOICE, callsMade + 1, due))
                : Optional.empty();
    }

    /** Deadline minus the category's lead time for a door knock, never before receipt. */
    public Instant escalateAt(RiskCase c) {
        Instant t = c.deadlineAt().minus(plans.of(c.category()).escalationLead());
        return t.isBefore(c.receivedAt()) ? c.receivedAt() : t;
    }

    private Instant respectQuiet(RetryPlan p, Instant t) {
        return p.ignoresQuietHours() ? t : quiet.release(t);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
