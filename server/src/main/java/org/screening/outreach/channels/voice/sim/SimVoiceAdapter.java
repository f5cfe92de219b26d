package org.screening.outreach.channels.voice.sim;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.Delays;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.ChannelKind;

/**
 * Simulated calls, the default so the server runs with no telephony account. The outcome of an attempt is drawn
 * from the seed and the attempt id, so a run can be repeated; answered calls talk, others ring, then report.
 */
public final class SimVoiceAdapter implements ChannelAdapter {

    /** Shares of outcomes (the rest of 1.0 is failure) and how long a call occupies a channel. */
    public record Behaviour(double answer, double busy, double noAnswer, Duration talk, Duration ring) {
        public static Behaviour defaults() {
            return new Behaviour(0.6, 0.1, 0.25, Duration.ofSeconds(60), Duration.ofSeconds(30));
        }
    }

    /** Share of simulated answered calls whose callee confirms being the user of the number. */
    public static final double IDENTITY_CONFIRMED = 0.95;

    private final long seed;
    private final Behaviour behaviour;
    private final Capacity capacity;
    private final Delays delays;

    public SimVoiceAdapter(long seed, Behaviour behaviour, Capacity capacity, Delays delays) {
        this.seed = seed;
        this.behaviour = behaviour;
        this.capacity = capacity;
        this.delays = delays;
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.VOICE;
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
        AttemptOutcome outcome = outcomeOf(a.attemptId());
        Duration held = outcome == AttemptOutcome.ANSWERED ? behaviour.talk()
                : outcome == AttemptOutcome.FAILED ? Duration.ZERO : behaviour.ring();
        Map<String, Object> details = new HashMap<>();
        details.put("provider", "sim");
        details.put("durationSeconds", held.toSeconds());
        if (outcome == AttemptOutcome.ANSWERED) details.putAll(keypadAnswers(a.attemptId()));
        delays.after(held, () -> sink.report(a.attemptId(), outcome, details));
    }

    /**
     * What the simulated callee pressed, under the IVR script's answer keys: most are the user of the number and
     * in the city, some travelled or carry a yellow/red code, so every follow-up path gets exercised.
     */
    public Map<String, Object> keypadAnswers(long attemptId) {
        SplittableRandom r = new SplittableRandom(seed * 0xD1B54A32D192ED03L + attemptId);
        Map<String, Object> answers = new HashMap<>();
        boolean user = r.nextDouble() < IDENTITY_CONFIRMED;
        answers.put("identity", user ? "yes" : "no");
        if (!user) return answers;
        boolean inCity = r.nextDouble() < 0.9;
        answers.put("in_city", inCity ? "yes" : "no");
        if (inCity) answers.put("travel_7d", r.nextDouble() < 0.15 ? "yes" : "no");
        double code = r.nextDouble();
        answers.put("health_code", code < 0.9 ? "green" : code < 0.97 ? "yellow" : "red");
        return answers;
    }

    public AttemptOutcome outcomeOf(long attemptId) {
        double x = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + attemptId).nextDouble();
        if (x < behaviour.answer()) return AttemptOutcome.ANSWERED;
        if (x < behaviour.answer() + behaviour.busy()) return AttemptOutcome.BUSY;
        if (x < behaviour.answer() + behaviour.busy() + behaviour.noAnswer()) return AttemptOutcome.NO_ANSWER;
        return AttemptOutcome.FAILED;
    }
}
