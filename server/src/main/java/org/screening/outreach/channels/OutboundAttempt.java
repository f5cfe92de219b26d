package org.screening.outreach.channels;

import java.time.Instant;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;

/**
 * One SMS or call to make: who (E.164 phone), for which case, the n-th of its kind for that case, the case's
 * deadline (a reminder states it) and the language the person is texted in.
 */
public record OutboundAttempt(long attemptId, String caseId, ChannelKind kind, int seq, String phone, String name,
                              Category category, String jurisdiction, Instant deadlineAt, CaseLanguage language) {

    public OutboundAttempt {
        if (language == null) language = CaseLanguage.ZH_CN;
    }

    /** An attempt in the default language (zh-CN). */
    public OutboundAttempt(long attemptId, String caseId, ChannelKind kind, int seq, String phone, String name,
                           Category category, String jurisdiction, Instant deadlineAt) {
        this(attemptId, caseId, kind, seq, phone, name, category, jurisdiction, deadlineAt, CaseLanguage.ZH_CN);
    }
}
