package org.screening.outreach.channels;

import java.util.Map;
import org.screening.outreach.domain.AttemptOutcome;

/** Where adapters report outcomes; {@code details} are provider facts worth keeping (duration, error code). */
public interface OutcomeSink {
    void report(long attemptId, AttemptOutcome outcome, Map<String, Object> details);
}
