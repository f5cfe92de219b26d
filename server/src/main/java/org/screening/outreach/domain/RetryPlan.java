package org.screening.outreach.domain;

import java.time.Duration;
import java.util.List;

/**
 * How one category is contacted: SMS and calls at offsets from receipt, how soon a busy line is tried again,
 * and how long before the deadline an unreached person is handed to a door-knock team.
 */
public record RetryPlan(List<Duration> smsAt, List<Duration> callsAt, Duration busyRetry, Duration escalationLead,
                        boolean ignoresQuietHours) {
    public RetryPlan {
        smsAt = List.copyOf(smsAt);
        callsAt = List.copyOf(callsAt);
    }
}
