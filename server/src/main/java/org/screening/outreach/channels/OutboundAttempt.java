package org.screening.outreach.channels;

import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;

/** One SMS or call to make: who (E.164 phone), for which case, and the n-th of its kind for that case. */
public record OutboundAttempt(long attemptId, String caseId, ChannelKind kind, int seq, String phone, String name,
                              Category category, String jurisdiction) {}
