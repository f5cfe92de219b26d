package org.screening.outreach.support;

import java.time.Clock;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.dispatch.AttemptQueue;
import org.screening.outreach.domain.ChannelKind;

/** A new 黄码 case whose first call the provider has taken (SENT) now, as the dispatcher leaves it. */
public final class SentCalls {
    private SentCalls() {}

    public static OutboundAttempt sentCall(AttemptQueue queue, Cases cases, Clock clock) {
        String id = cases.push("黄码", false);
        queue.planNewCases(clock.instant(), 100);
        OutboundAttempt call = queue.claim(ChannelKind.VOICE, clock.instant(), 100, "n1", clock.instant().plusSeconds(600))
                .stream().filter(a -> a.caseId().equals(id)).findFirst().orElseThrow();
        if (!queue.markSent(call.attemptId(), "CA1", clock.instant())) throw new IllegalStateException("not sent");
        return call;
    }
}
