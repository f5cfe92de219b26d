package org.screening.outreach.web.console;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.DoorKnockOutcome;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.SmsResend;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.ledger.CaseUpdates;
import org.screening.outreach.ledger.DoorKnocks;
import org.screening.outreach.ledger.transfer.Transfers;

/**
 * What staff do to a case from the console, on a worker thread. Which moves are allowed is the domain's
 * ({@link CaseStatus#canMoveTo}); verify and close run through {@link CaseUpdates} so the check and the move happen
 * under the case's lock, and door-knock results through {@link DoorKnocks} exactly as the API records them.
 */
public final class CaseActions {
    /** The verification methods the API accepts ({@code POST /api/v1/cases/{id}/verify}). */
    public static final List<String> METHODS = List.of("phone", "self_report", "door_knock", "control_measure");
    private final CaseLedger ledger;
    private final CaseUpdates updates;
    private final DoorKnocks doorKnocks;
    private final Transfers transfers;
    private final Clock clock;

    public CaseActions(CaseLedger ledger, CaseUpdates updates, DoorKnocks doorKnocks, Transfers transfers, Clock clock) {
        this.ledger = ledger;
        this.updates = updates;
        this.doorKnocks = doorKnocks;
        this.transfers = transfers;
        this.clock = clock;
    }

    public enum Result { DONE, NOT_FOUND, FORBIDDEN, NOT_ALLOWED, TASK_GONE }

    /** The case if it exists and lies within the user's scope; NOT_FOUND / FORBIDDEN otherwise. */
    public Result access(StaffUser user, String caseId) {
        Optional<RiskCase> c = ledger.find(caseId);
        if (c.isEmpty()) return Result.NOT_FOUND;
        return user.covers(c.get().jurisdiction()) ? Result.DONE : Result.FORBIDDEN;
    }

    /** Shows the phone and writes who looked, the same REVEALED event as the API's {@code ?reveal=phone}. */
    public Optional<String> revealPhone(StaffUser user, String caseId) {
        Optional<RiskCase> c = ledger.find(caseId).filter(x -> user.covers(x.jurisdiction()));
        c.ifPresent(x -> ledger.append(new LedgerEvent(caseId, "REVEALED", clock.instant(), user.actor(),
                Map.of("fields", "phone", "by", user.username()))));
        return c.map(RiskCase::phone);
    }

    /** Marks the case VERIFIED with the API's reason text ("verified by door_knock: note"). */
    public Result verify(StaffUser user, String caseId, String method, String note) {
        String reason = "verified by " + method + (note == null || note.isBlank() ? "" : ": " + note.strip());
        return move(user, caseId, CaseStatus.VERIFIED, reason);
    }

    /** 销号: only a VERIFIED case may be closed (the domain's rule); anything else answers NOT_ALLOWED. */
    public Result close(StaffUser user, String caseId, String reason) {
        return move(user, caseId, CaseStatus.CLOSED, reason.strip());
    }

    /**
     * Hands the case to the police review list (三公专班: persons the community cannot find or verify, Chongqing
     * item 24); its calls and door knocks stop, as when a door knock ends in CANNOT_VERIFY.
     */
    public Result toPoliceReview(StaffUser user, String caseId, String reason) {
        return move(user, caseId, CaseStatus.POLICE_REVIEW, reason.strip());
    }

    /** Whether staff may hand a case to this jurisdiction with this reason (null: they may; else why not, in English). */
    public String transferProblem(String jurisdiction, String reason) {
        return transfers.problem(jurisdiction, reason);
    }

    /**
     * Hands the case to the jurisdiction it belongs to (a door knock found them living elsewhere, the IVR said "not in
     * the city"), exactly as {@code POST /api/v1/cases/{id}/transfer} does.
     */
    public Result transfer(StaffUser user, String caseId, String jurisdiction, String reason) {
        Result access = access(user, caseId);
        if (access != Result.DONE) return access;
        try {
            return transfers.handOver(caseId, jurisdiction, reason, user.actor()).isPresent() ? Result.DONE : Result.NOT_FOUND;
        } catch (IllegalStateException e) {
            return alreadyThere(caseId, CaseStatus.TRANSFERRED); // a double tap on 转出: the first one did it
        }
    }

    /** A re-send of the reminder SMS: DONE, NOT_FOUND, FORBIDDEN, or NOT_ALLOWED with the domain's refusal. */
    public record Resend(Result result, SmsResend.Refusal refusal) {}

    /** The reminder SMS once more, due now, exactly as {@code POST /api/v1/cases/{id}/sms} sends it. */
    public Resend resendSms(StaffUser user, String caseId) {
        Result access = access(user, caseId);
        if (access != Result.DONE) return new Resend(access, null);
        try {
            return new Resend(updates.resendSms(caseId, user.actor(), user.username(), clock.instant()).isPresent()
                    ? Result.DONE : Result.NOT_FOUND, null);
        } catch (SmsResend.Refused e) {
            return new Resend(Result.NOT_ALLOWED, e.refusal());
        }
    }

    /** Records the 3-person team's finding on the case's active door-knock task, once per form ({@code submission}). */
    public Result recordDoorKnock(StaffUser user, String caseId, long taskId, DoorKnockOutcome outcome,
                                  DoorKnockTask.Team team, String note, String submission) {
        Optional<DoorKnockTask> t = doorKnocks.find(taskId);
        if (t.isEmpty() || !t.get().caseId().equals(caseId)) return Result.TASK_GONE;
        if (!user.covers(t.get().jurisdiction())) return Result.FORBIDDEN;
        DoorKnocks.Result r = doorKnocks.record(taskId, outcome, team, note, user.actor(), clock.instant(), submission);
        return r == DoorKnocks.Result.DONE ? Result.DONE : Result.TASK_GONE;
    }

    private Result move(StaffUser user, String caseId, CaseStatus target, String reason) {
        Result access = access(user, caseId); // the jurisdiction of a case never changes: checked before the lock
        if (access != Result.DONE) return access;
        Instant now = clock.instant();
        try {
            // A verified or closed case needs no more calls and no door knock: settle them like any other decision.
            Optional<RiskCase> after = updates.apply(caseId,
                    rc -> CaseProgress.decidedByStaff(rc, target, now, user.actor(), reason), now);
            return after.isEmpty() ? Result.NOT_FOUND : after.get().status() == target ? Result.DONE : alreadyThere(caseId, target);
        } catch (IllegalStateException e) {
            return alreadyThere(caseId, target);
        }
    }

    /**
     * A move refused because the case already is where it was to go: a double tap, or a form sent again from a page
     * left open, whose first post (or a colleague's) did it. Done, not an error saying the case cannot be closed.
     */
    private Result alreadyThere(String caseId, CaseStatus target) {
        return ledger.find(caseId).filter(c -> c.status() == target).isPresent() ? Result.DONE : Result.NOT_ALLOWED;
    }

    /** Statuses from which a staff member may mark a case verified (to show the button only where it works). */
    public static boolean canVerify(CaseStatus s) {
        return s.canMoveTo(CaseStatus.VERIFIED);
    }

    public static boolean canTransfer(CaseStatus s) {
        return s.canMoveTo(CaseStatus.TRANSFERRED);
    }

    public static boolean canResendSms(RiskCase c) {
        return c.smsCapable() && SmsResend.STATUSES.contains(c.status());
    }

    public static boolean canSendToPolice(CaseStatus s) {
        return s.canMoveTo(CaseStatus.POLICE_REVIEW);
    }

    static final Set<String> METHOD_SET = Set.copyOf(METHODS);
}
