package org.screening.outreach.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One person pushed for screening (排查对象). Named RiskCase because {@code case} is a Java keyword.
 * The phone is E.164; {@code smsCapable} is false for landlines, which can be called but not texted. {@code language}
 * is the one reminders and calls use.
 */
public record RiskCase(String id, String source, String externalId, String name, String phone, boolean smsCapable,
                       String idNumber, Category category, String jurisdiction, Instant pushedAt, Instant receivedAt,
                       Instant deadlineAt, CaseStatus status, CaseLanguage language) {

    public RiskCase {
        if (language == null) language = CaseLanguage.ZH_CN;
    }

    /** A case in the default language (zh-CN). */
    public RiskCase(String id, String source, String externalId, String name, String phone, boolean smsCapable,
                    String idNumber, Category category, String jurisdiction, Instant pushedAt, Instant receivedAt,
                    Instant deadlineAt, CaseStatus status) {
        this(id, source, externalId, name, phone, smsCapable, idNumber, category, jurisdiction, pushedAt, receivedAt,
                deadlineAt, status, CaseLanguage.ZH_CN);
    }

    /** Every state change comes with its ledger event; the store writes both or neither. */
    public StatusChange moveTo(CaseStatus target, Instant at, String actor, String reason) {
        if (!status.canMoveTo(target)) {
            throw new IllegalStateException("case cannot move from " + status + " to " + target);
        }
        Map<String, Object> data = new HashMap<>();
        data.put("from", status.name());
        data.put("to", target.name());
        if (reason != null && !reason.isBlank()) data.put("reason", reason);
        return new StatusChange(withStatus(target), new LedgerEvent(id, LedgerEvent.STATUS_CHANGED, at, actor, data));
    }

    public RiskCase withStatus(CaseStatus s) {
        return new RiskCase(id, source, externalId, name, phone, smsCapable, idNumber, category, jurisdiction,
                pushedAt, receivedAt, deadlineAt, s, language);
    }

    public boolean isOverdue(Instant now) {
        return status.isOpen() && status != CaseStatus.VERIFIED && status != CaseStatus.UNDER_CONTROL
                && now.isAfter(deadlineAt);
    }

    public record StatusChange(RiskCase after, LedgerEvent event) {}
}
