package org.screening.outreach.domain;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Staff send a case's reminder SMS again (the person lost it, or their link ran out): one more SMS attempt due now,
 * with the request in the ledger. Refused, with the reason, when it could not or should not go out.
 */
public final class SmsResend {
    public static final String EVENT = "SMS_RESEND_REQUESTED";
    /** Cases still being worked on ({@link CaseStatus#inScreening()}). */
    public static final Set<CaseStatus> STATUSES = java.util.Collections.unmodifiableSet(java.util.Arrays
            .stream(CaseStatus.values()).filter(CaseStatus::inScreening)
            .collect(java.util.stream.Collectors.toCollection(() -> EnumSet.noneOf(CaseStatus.class))));

    public enum Refusal {
        NOT_OPEN("the case is no longer being worked on (status %s): no reminder is sent"),
        LANDLINE("the case's number is a landline and cannot receive SMS"),
        OPTED_OUT("the person texted STOP: their number is on the SMS opt-out list"),
        PENDING("a reminder is already on its way");

        private final String text;

        Refusal(String text) {
            this.text = text;
        }
    }

    /** An IllegalStateException, so callers that answer 409 with the domain's words need nothing more. */
    public static final class Refused extends IllegalStateException {
        private final Refusal refusal;

        Refused(Refusal refusal, CaseStatus status) {
            super(String.format(refusal.text, status));
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    public record Plan(ContactPlanner.PlannedAttempt attempt, LedgerEvent event) {}

    private SmsResend() {}

    /**
     * Decides under the case lock. {@code smsPending}: an SMS of the case is PLANNED or CLAIMED (a double click
     * must not text twice); {@code lastSmsSeq}: the highest SMS seq of the case so far (0 if none).
     */
    public static Plan decide(RiskCase c, boolean optedOut, boolean smsPending, int lastSmsSeq, String actor, String by,
                              Instant now) {
        if (!STATUSES.contains(c.status())) throw new Refused(Refusal.NOT_OPEN, c.status());
        if (!c.smsCapable()) throw new Refused(Refusal.LANDLINE, c.status());
        if (optedOut) throw new Refused(Refusal.OPTED_OUT, c.status());
        if (smsPending) throw new Refused(Refusal.PENDING, c.status());
        ContactPlanner.PlannedAttempt a = new ContactPlanner.PlannedAttempt(ChannelKind.SMS, lastSmsSeq + 1, now);
        return new Plan(a, new LedgerEvent(c.id(), EVENT, now, actor, Map.of("by", by, "seq", a.seq())));
    }
}
