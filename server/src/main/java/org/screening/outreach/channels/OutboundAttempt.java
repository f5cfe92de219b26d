package org.screening.outreach.channels;

import java.time.Instant;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;

/**
 * One SMS or call to make: who (E.164 phone), for which case, the n-th of its kind for that case, and the case's
 * deadline (a reminder states it).
 */
public record OutboundAttempt(long attemptId, String caseId, ChannelKind kind, int seq, String phone, String name,
                              Category category, String jurisdiction, Instant deadlineAt) {}
