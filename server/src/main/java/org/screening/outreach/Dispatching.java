package org.screening.outreach;

import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.ChannelRegistry;
import org.screening.outreach.channels.Delays;
import org.screening.outreach.channels.sms.sim.SimSmsAdapter;
import org.screening.outreach.channels.voice.sim.SimVoiceAdapter;
import org.screening.outreach.config.OutreachConfig;
import java.util.function.IntConsumer;
import org.screening.outreach.dispatch.AttemptQueue;
import org.screening.outreach.dispatch.CapacityCheck;
import org.screening.outreach.dispatch.ForecastJob;
import org.screening.outreach.domain.CapacityForecast;
import org.screening.outreach.dispatch.DispatchJob;
import org.screening.outreach.dispatch.Dispatcher;
import org.screening.outreach.dispatch.EscalationJob;
import org.screening.outreach.dispatch.PlanNewCasesJob;
import org.screening.outreach.dispatch.ReapLeasesJob;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.web.Blocking;

/** Wires the channels and the dispatcher's background jobs. */
final class Dispatching {
    private Dispatching() {}

    /** Starts the jobs; returns the capacity check the intake answers use. */
    static CapacityCheck start(OutreachConfig config, Vertx vertx, Blocking blocking, JobRunner jobs,
                               AttemptQueue queue, Clock clock, IntConsumer shortfallCounter) {
        ChannelRegistry channels = channels(config, vertx);
        // One owner name per process: leases say which node holds an attempt.
        String owner = ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID().toString().substring(0, 8);
        Executor outcomes = r -> blocking.run(() -> {
            r.run();
            return null;
        });
        jobs.schedule(new PlanNewCasesJob(queue, clock));
        jobs.schedule(new EscalationJob(queue, clock));
        jobs.schedule(new ReapLeasesJob(queue, clock));
        for (ChannelAdapter adapter : channels.all()) {
            Duration lease = adapter.kind() == ChannelKind.VOICE ? Duration.ofMinutes(10) : Duration.ofMinutes(2);
            Dispatcher d = new Dispatcher(adapter, queue, clock, owner, lease, outcomes);
            jobs.schedule(new DispatchJob(d, "dispatch-" + adapter.kind().name().toLowerCase()));
        }
        Capacity voice = channels.of(ChannelKind.VOICE).capacity();
        CapacityCheck check = new CapacityCheck(queue, clock, CapacityForecast.throughput(voice.maxConcurrent(),
                voice.perSecond(), config.averageCallHold()), shortfallCounter);
        jobs.schedule(new ForecastJob(check));
        return check;
    }

    static ChannelRegistry channels(OutreachConfig config, Vertx vertx) {
        if (!config.smsProvider().equals("sim") || !config.voiceProvider().equals("sim")) {
            throw new IllegalStateException("only the sim providers are available in this version; set "
                    + "OUTREACH_SMS_PROVIDER=sim and OUTREACH_VOICE_PROVIDER=sim");
        }
        OutreachConfig.Simulator sim = config.simulator();
        Delays delays = (d, r) -> vertx.setTimer(Math.max(1, d.toMillis()), id -> r.run());
        return new ChannelRegistry()
                .register(new SimVoiceAdapter(sim.seed(), new SimVoiceAdapter.Behaviour(sim.answerRate(), sim.busyRate(),
                        sim.noAnswerRate(), sim.talk(), sim.ring()), new Capacity(sim.voiceChannels(), sim.callsPerSecond()), delays))
                .register(new SimSmsAdapter(sim.seed(), 0.97, Duration.ofSeconds(2),
                        new Capacity(Math.max(1, (int) sim.smsPerSecond() * 10), sim.smsPerSecond()), delays));
    }
}
