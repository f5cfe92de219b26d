package org.screening.outreach.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules that move a case forward as attempts end or time runs out, apart from any storage: the database
 * queue and the deadline simulation in bench/ both apply exactly these.
 */
public final class CaseProgress {
    public static final String ACTOR = "dispatcher";
    private final ContactPlanner planner;

    public CaseProgress(ContactPlanner planner) {
        this.planner = planner;
    }

    public ContactPlanner planner() {
        return planner;
    }

    /**
     * What to do: change the case, stop its remaining calls, withdraw its door knocks, plan another call, open a
     * door-knock task (with this reason).
     */
    public record Step(List<RiskCase.StatusChange> changes, boolean cancelCalls, boolean cancelDoorKnocks,
                       Optional<ContactPlanner.PlannedAttempt> nextCall, List<LedgerEvent> events,
                       Optional<String> doorKnock) {
        public Step {
            changes = List.copyOf(changes);
            events = List.copyOf(events);
        }
    }

    /** A first plan for a new case: its attempts, and the move to CONTACTING with the plan in the ledger. */
    public record Start(ContactPlanner.Plan plan, RiskCase.StatusChange change, LedgerEvent planned) {}

    public Start start(RiskCase c, Instant now) {
        ContactPlanner.Plan plan = planner.initial(c);
        java.util.Map<String, Object> d = new java.util.HashMap<>();
        d.put("sms", plan.attempts().stream().filter(a -> a.kind() == ChannelKind.SMS).count());
        plan.attempts().stream().filter(a -> a.kind() == ChannelKind.VOICE).findFirst()
                .ifPresent(a -> d.put("firstCallAt", a.dueAt().toString()));
        d.put("escalateAt", plan.escalateAt().toString());
        return new Start(plan, c.moveTo(CaseStatus.CONTACTING, now, ACTOR, "contact planned"),
                new LedgerEvent(c.id(), "PLANNED", now, ACTOR, d));
    }

    /** After an attempt of {@code kind} (the {@code seq}-th of its kind) ended with {@code outcome}. */
    public Step afterAttempt(RiskCase c, ChannelKind kind, long attemptId, int seq, AttemptOutcome outcome,
                             java.util.Map<String, Object> details, Instant now) {
        return afterAttempt(c, kind, attemptId, seq, null, outcome, details, now);
    }

    /** As above; {@code dueAt}: when the attempt was due, which spaces the next call from it (null: as planned). */
    public Step afterAttempt(RiskCase c, ChannelKind kind, long attemptId, int seq, Instant dueAt,
                             AttemptOutcome outcome, java.util.Map<String, Object> details, Instant now) {
        java.util.Map<String, Object> d = new java.util.HashMap<>(details);
        d.put("attempt", attemptId);
        d.put("seq", seq);
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new LedgerEvent(c.id(), (kind == ChannelKind.SMS ? "SMS_" : "CALL_") + outcome.name(), now, ACTOR, d));
        if (kind != ChannelKind.VOICE) return eventsOnly(events);
        boolean waiting = c.status() == CaseStatus.CONTACTING || c.status() == CaseStatus.DOOR_KNOCK;
        if (outcome.reachedPerson() && waiting) {
            if (!details.containsKey(FirstCheck.IDENTITY) && !details.containsKey(FirstCheck.IVR)) {
                // A provider without the IVR: someone picked up, which is all we know.
                return reached(c, seq, now, events, List.of());
            }
            return afterFirstCheck(c, seq, dueAt, FirstCheck.fromAnswers(answers(details)), outcome, now, events);
        }
        return nextCallOrDoorKnock(c, seq, dueAt, outcome, now, events);
    }

    /**
     * A delivery receipt for a text given up as FAILED (Twilio took it but its answer never reached us): the
     * ledger learns the text did go. Nothing else changes: the plan moved on to calls when the text failed, and
     * a delivered reminder reaches no one by itself.
     */
    public static LedgerEvent lateDelivery(String caseId, long attemptId, int seq, java.util.Map<String, Object> details,
                                           Instant now) {
        java.util.Map<String, Object> d = new java.util.HashMap<>(details);
        d.put("attempt", attemptId);
        d.put("seq", seq);
        d.put("late", true);
        d.put("earlierOutcome", AttemptOutcome.FAILED.name());
        return new LedgerEvent(caseId, "SMS_" + AttemptOutcome.DELIVERED.name(), now, ACTOR, d);
    }

    /** What the callee's keypad answers decide (issue 5): reached, verified, flagged, or re-verified on foot. */
    private Step afterFirstCheck(RiskCase c, int seq, Instant dueAt, FirstCheck check, AttemptOutcome outcome,
                                 Instant now, List<LedgerEvent> events) {
        if (check.followUps().contains(FollowUp.CALL_AGAIN)) {
            return nextCallOrDoorKnock(c, seq, dueAt, AttemptOutcome.NO_ANSWER, now, events);
        }
        if (check.followUps().contains(FollowUp.REVERIFY_DOOR_KNOCK)) {
            if (c.status() == CaseStatus.DOOR_KNOCK) return eventsOnly(events); // staff already have the case
            RiskCase.StatusChange knock = c.moveTo(CaseStatus.DOOR_KNOCK, now, ACTOR, "callee is not the user of the number");
            return new Step(List.of(knock), true, false, Optional.empty(), events, Optional.of(DoorKnockTask.NOT_USER_OF_NUMBER));
        }
        List<RiskCase.StatusChange> more = new ArrayList<>();
        events.addAll(flags(c, check, now));
        if (check.followUps().contains(FollowUp.VERIFY_BY_PHONE)) {
            RiskCase reachedCase = c.withStatus(CaseStatus.REACHED);
            more.add(reachedCase.moveTo(CaseStatus.VERIFIED, now, ACTOR, "verified by phone: identity confirmed, in the city, nothing to flag"));
        }
        return reached(c, seq, now, events, more);
    }

    /** What the community must follow up: a transfer (not in the city) and/or the answers' flags. */
    private static List<LedgerEvent> flags(RiskCase c, FirstCheck check, Instant now) {
        List<LedgerEvent> out = new ArrayList<>();
        if (check.followUps().contains(FollowUp.FLAG_TRANSFER)) {
            out.add(new LedgerEvent(c.id(), "TRANSFER_FLAGGED", now, ACTOR, java.util.Map.of("reason", "not in the city")));
        }
        if (check.followUps().contains(FollowUp.FLAG_COMMUNITY)) {
            out.add(new LedgerEvent(c.id(), "FLAGGED", now, ACTOR, java.util.Map.of("flags", String.join(",", check.flags()))));
        }
        return out;
    }

    private Step reached(RiskCase c, int seq, Instant now, List<LedgerEvent> events, List<RiskCase.StatusChange> more) {
        List<RiskCase.StatusChange> changes = new ArrayList<>();
        changes.add(c.moveTo(CaseStatus.REACHED, now, ACTOR, "answered call " + seq));
        changes.addAll(more);
        // Door-knock tasks are only opened with the move to DOOR_KNOCK, and nothing moves a case back to CONTACTING:
        // a case still CONTACTING has none to withdraw, and the store is spared looking (and locking) for them.
        return new Step(changes, true, c.status() == CaseStatus.DOOR_KNOCK, Optional.empty(), events, Optional.empty());
    }

    private Step nextCallOrDoorKnock(RiskCase c, int seq, Instant dueAt, AttemptOutcome outcome, Instant now,
                                     List<LedgerEvent> events) {
        if (c.status() != CaseStatus.CONTACTING) return eventsOnly(events);
        Optional<ContactPlanner.PlannedAttempt> next = planner.nextCall(c, seq, outcome, dueAt, now);
        if (next.isPresent()) return new Step(List.of(), false, false, next, events, Optional.empty());
        // No call left that fits before the escalation point: staff get the case now, not at that point.
        return new Step(List.of(c.moveTo(CaseStatus.DOOR_KNOCK, now, ACTOR, "no call left before the escalation point")),
                true, false, Optional.empty(), events, Optional.of(DoorKnockTask.NOT_REACHED));
    }

    private static Step eventsOnly(List<LedgerEvent> events) {
        return new Step(List.of(), false, false, Optional.empty(), events, Optional.empty());
    }

    private static java.util.Map<String, String> answers(java.util.Map<String, Object> details) {
        java.util.Map<String, String> a = new java.util.HashMap<>();
        for (String k : FirstCheck.KEYS) if (details.get(k) != null) a.put(k, String.valueOf(details.get(k)));
        return a;
    }

    /**
     * A self-report through the SMS link (Sichuan: 65 % of risk persons were found this way): the person reached us
     * themselves. The same first-check rules decide what follows; someone not the user of the number is left to
     * the phone plan and the door knock.
     */
    public Step afterSelfReport(RiskCase c, java.util.Map<String, String> answers, Instant now) {
        java.util.Map<String, Object> d = new java.util.HashMap<>(answers);
        List<LedgerEvent> events = new ArrayList<>();
        events.add(new LedgerEvent(c.id(), LedgerEvent.SELF_REPORT, now, "self-report", d));
        FirstCheck check = FirstCheck.fromAnswers(answers);
        if (!check.followUps().contains(FollowUp.MARK_REACHED)) return eventsOnly(events);
        events.addAll(flags(c, check, now));
        List<RiskCase.StatusChange> changes = new ArrayList<>();
        RiskCase current = c;
        if (current.status().canMoveTo(CaseStatus.REACHED)) {
            RiskCase.StatusChange reached = current.moveTo(CaseStatus.REACHED, now, "self-report", "reported through the link");
            changes.add(reached);
            current = reached.after();
        }
        if (check.followUps().contains(FollowUp.VERIFY_BY_PHONE) && current.status().canMoveTo(CaseStatus.VERIFIED)) {
            changes.add(current.moveTo(CaseStatus.VERIFIED, now, "self-report", "verified by self-report: in the city, nothing to flag"));
        }
        boolean contactDone = !changes.isEmpty();
        return new Step(changes, contactDone, contactDone, Optional.empty(), events, Optional.empty());
    }

    /**
     * A result reported by another system (issue 7): a control measure puts the case UNDER_CONTROL, a verification
     * makes it VERIFIED (a control measure counts as one when {@code close} is asked), and {@code close} ends it
     * with {@code reason}; on a closed case it is only recorded. Throws IllegalStateException, with a message for the
     * caller, when the case cannot move that way.
     */
    public Step afterResult(RiskCase c, ExternalResult result, String system, String note, boolean close,
                            String reason, Instant now, String actor) {
        java.util.Map<String, Object> d = new java.util.HashMap<>();
        d.put("result", result.name());
        d.put("system", system);
        if (note != null && !note.isBlank()) d.put("note", note);
        List<LedgerEvent> events = List.of(new LedgerEvent(c.id(), LedgerEvent.RESULT_REPORTED, now, actor, d));
        if (c.status() == CaseStatus.CLOSED) {
            // Closed (销号) here, so verified before: the report is recorded and moves nothing. A control measure
            // taken after the close (isolated once the call found travel) is what a later push of the same person is
            // matched against, and a report sent again by a system retrying after a timeout answers as the first.
            return new Step(List.of(), false, false, Optional.empty(), events, Optional.empty());
        }
        List<RiskCase.StatusChange> changes = new ArrayList<>();
        RiskCase current = c;
        if (result.controlMeasure() && current.status() != CaseStatus.UNDER_CONTROL && current.status() != CaseStatus.VERIFIED) {
            current = step(changes, current, CaseStatus.UNDER_CONTROL, now, actor, system + ": " + result.name());
        }
        if ((!result.controlMeasure() || close) && current.status() != CaseStatus.VERIFIED) {
            // Verified elsewhere before our calls got through: the other system reached the person, as a self-report does.
            current = reachedFirst(changes, current, now, actor, "reached by " + system);
            current = step(changes, current, CaseStatus.VERIFIED, now, actor, "verified by " + system);
        }
        if (close) step(changes, current, CaseStatus.CLOSED, now, actor, reason);
        return new Step(changes, true, true, Optional.empty(), events, Optional.empty());
    }

    /** A case that cannot be verified yet because it was never reached (NEW, CONTACTING) is reached first. */
    private static RiskCase reachedFirst(List<RiskCase.StatusChange> changes, RiskCase c, Instant now, String actor,
                                         String reason) {
        if (c.status().canMoveTo(CaseStatus.VERIFIED) || !c.status().canMoveTo(CaseStatus.REACHED)) return c;
        return step(changes, c, CaseStatus.REACHED, now, actor, reason);
    }

    private static RiskCase step(List<RiskCase.StatusChange> changes, RiskCase c, CaseStatus to, Instant now,
                                 String actor, String reason) {
        if (!c.status().canMoveTo(to)) {
            throw new IllegalStateException("a " + c.status() + " case cannot become " + to);
        }
        RiskCase.StatusChange change = c.moveTo(to, now, actor, reason);
        changes.add(change);
        return change.after();
    }

    /**
     * Staff verify, close (销号) or hand a case to the police: the case moves, and a case staff have decided on
     * needs no more calls and no door knock. Throws IllegalStateException, with a message for the caller, when the
     * case cannot move that way.
     */
    public static Step decidedByStaff(RiskCase c, CaseStatus target, Instant now, String actor, String reason) {
        List<RiskCase.StatusChange> changes = new ArrayList<>();
        RiskCase current = c;
        // Staff who verified someone our calls have not reached yet (they phoned or met them) reached them first.
        if (target == CaseStatus.VERIFIED) current = reachedFirst(changes, current, now, actor, "reached by staff");
        if (!current.status().canMoveTo(target)) {
            throw new IllegalStateException(target == CaseStatus.CLOSED
                    ? "only a VERIFIED case can be closed; this case is " + c.status()
                    : "a " + c.status() + " case cannot become " + target);
        }
        changes.add(current.moveTo(target, now, actor, reason));
        return new Step(changes, true, true, Optional.empty(), List.of(), Optional.empty());
    }

    /** Hands an unreached case to a door knock; {@code reason} is one of {@link DoorKnockTask}'s reasons. */
    public Step escalate(RiskCase c, String reason, Instant now) {
        String why = DoorKnockTask.CAPACITY_SHORTFALL.equals(reason)
                ? "phone capacity cannot reach this case before its escalation point" : "not reached by phone in time";
        return new Step(List.of(c.moveTo(CaseStatus.DOOR_KNOCK, now, ACTOR, why)), true, false, Optional.empty(),
                List.of(), Optional.of(reason));
    }

    /** Cases that may still be escalated: not yet reached and not already with staff or closed. */
    public static boolean awaitingContact(CaseStatus s) {
        return s == CaseStatus.NEW || s == CaseStatus.CONTACTING;
    }
}
