package org.screening.outreach.channels.sms.sim;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.Delays;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;

/** Simulated SMS: delivered or undelivered, drawn from the seed and the attempt id, after a short delay. */
public final class SimSmsAdapter implements ChannelAdapter {
    private final long seed;
    private final double deliveredShare;
    private final Duration delay;
    private final Capacity capacity;
    private final Delays delays;

    public SimSmsAdapter(long seed, double deliveredShare, Duration delay, Capacity capacity, Delays delays) {
        this.seed = seed;
        this.deliveredShare = deliveredShare;
        this.delay = delay;
        this.capacity = capacity;
        this.delays = delays;
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.SMS;
    }

    @Override
    public String provider() {
        return "sim";
    }

    @Override
    public Capacity capacity() {
        return capacity;
    }

    @Override
    public void send(OutboundAttempt a, OutcomeSink sink) {
        boolean delivered = new SplittableRandom(seed * 0xBF58476D1CE4E5B9L + a.attemptId()).nextDouble() < deliveredShare;
        delays.after(delay, () -> sink.report(a.attemptId(),
                delivered ? AttemptOutcome.DELIVERED : AttemptOutcome.UNDELIVERED, Map.of("provider", "sim")));
    }
}
