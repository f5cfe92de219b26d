package org.screening.outreach.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.screening.outreach.ivr.CallOutcomes;

/**
 * Settles calls a provider took but never reported on (a Twilio status callback lost on the way, an Asterisk call
 * ringing when the AMI link dropped): once a call is older than the longest a call can last, nothing more will
 * come, and the case must not wait for its door knock.
 *
 * <p>Reports this node kept on disk while the database was down (status callbacks, calls that broke off) say more
 * than this job can guess: while any wait to be applied, the job waits for them (a few seconds once the database
 * answers). Reports kept on another node's disk are not seen here.
 */
public final class SettleUnreportedCallsJob implements BackgroundJob {
    private final AttemptQueue queue;
    private final CallOutcomes calls;
    private final Clock clock;
    private final Duration longestCall;
    private final BooleanSupplier reportsWaiting;

    /**
     * {@code longestCall}: ringing plus the call's time limit plus a margin for a late callback;
     * {@code reportsWaiting}: whether this node holds reports not yet applied (the webhook spool).
     */
    public SettleUnreportedCallsJob(AttemptQueue queue, CallOutcomes calls, Clock clock, Duration longestCall,
                                    BooleanSupplier reportsWaiting) {
        this.queue = queue;
        this.calls = calls;
        this.clock = clock;
        this.longestCall = longestCall;
        this.reportsWaiting = reportsWaiting;
    }

    @Override
    public String name() {
        return "settle-unreported-calls";
    }

    @Override
    public Duration every() {
        return Duration.ofSeconds(30);
    }

    /**
     * One node: every node would read the same old calls and close their IVR sessions side by side; the outcome
     * applies once anyway, so the others' work would be wasted.
     */
    @Override
    public boolean singleton() {
        return true;
    }

    @Override
    public int runOnce() {
        if (reportsWaiting.getAsBoolean()) return 0;
        Instant now = clock.instant();
        int settled = 0;
        for (long id : queue.callsSentBefore(now.minus(longestCall), 100)) {
            if (calls.neverReported(id, now)) settled++;
        }
        return settled;
    }
}
