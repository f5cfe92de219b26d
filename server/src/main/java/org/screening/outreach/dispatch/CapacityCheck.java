package org.screening.outreach.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.IntConsumer;
import org.screening.outreach.domain.CapacityForecast;
import org.screening.outreach.domain.DoorKnockTask;

/**
 * Escalates, at once, every waiting case whose next call cannot start before its escalation point with the
 * voice line's throughput: a list too big to phone in time becomes door knocks while there is time to knock.
 */
public final class CapacityCheck {
    private static final int MAX_WAITING = 500_000;
    private static final int CHUNK = 500;
    private final AttemptQueue queue;
    private final Clock clock;
    private final double throughput;
    private final IntConsumer shortfallCounter;

    public CapacityCheck(AttemptQueue queue, Clock clock, double callsPerSecond, IntConsumer shortfallCounter) {
        this.queue = queue;
        this.clock = clock;
        this.throughput = callsPerSecond;
        this.shortfallCounter = shortfallCounter;
    }

    /** One forecast over the whole queue; how many cases were escalated. */
    public int run() {
        Instant now = clock.instant();
        List<String> late = CapacityForecast.shortfall(queue.waitingCalls(MAX_WAITING), now, throughput);
        int escalated = 0;
        for (int i = 0; i < late.size(); i += CHUNK) {
            escalated += queue.escalateNow(late.subList(i, Math.min(late.size(), i + CHUNK)),
                    DoorKnockTask.CAPACITY_SHORTFALL, now);
        }
        if (escalated > 0) shortfallCounter.accept(escalated);
        return escalated;
    }

    /**
     * Right after a push: plan what is new, forecast, and count the push's own cases that cannot be phoned in
     * time, so the pushing centre sees it in the answer.
     */
    public int afterIntake(String source, Instant since) {
        while (queue.planNewCases(clock.instant(), CHUNK) == CHUNK) {
            // keep planning until the backlog of new cases is empty
        }
        run();
        return queue.countShortfall(source, since);
    }
}
