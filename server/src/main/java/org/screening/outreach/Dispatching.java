package org.screening.outreach;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.ChannelRegistry;
import org.screening.outreach.channels.sms.UnsubscribedAtProvider;
import org.screening.outreach.channels.Delays;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.screening.outreach.channels.sms.sim.SimSmsAdapter;
import org.screening.outreach.communities.CommunityDirectory;
import org.screening.outreach.config.OutreachConfig;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.twilio.RetryPolicy;
import org.screening.outreach.channels.twilio.SenderPool;
import org.screening.outreach.channels.sms.twilio.SmsAcceptedListener;
import org.screening.outreach.channels.sms.twilio.TwilioSmsAdapter;
import org.screening.outreach.channels.sms.twilio.TwilioSmsSettings;
import org.screening.outreach.sms.OptOuts;
import org.screening.outreach.sms.SmsTemplates;
import org.screening.outreach.sms.TemplateVariables;
import org.screening.outreach.web.report.ReportLinks;
import org.screening.outreach.dispatch.AttemptQueue;
import org.screening.outreach.dispatch.CapacityCheck;
import org.screening.outreach.dispatch.ForecastJob;
import org.screening.outreach.dispatch.DispatchJob;
import org.screening.outreach.dispatch.Dispatcher;
import org.screening.outreach.dispatch.EscalationJob;
import org.screening.outreach.dispatch.PlanNewCasesJob;
import org.screening.outreach.dispatch.ReapLeasesJob;
import org.screening.outreach.dispatch.NodePresence;
import org.screening.outreach.dispatch.NodePresenceJob;
import org.screening.outreach.dispatch.NodeShare;
import org.screening.outreach.dispatch.SettleUnreportedCallsJob;
import org.screening.outreach.ivr.BrokenOffCalls;
import org.screening.outreach.ivr.CallOutcomes;
import org.screening.outreach.ivr.Conversations;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.campaigns.CampaignBodies;
import org.screening.outreach.campaigns.CampaignCountsJob;
import org.screening.outreach.campaigns.CampaignLeaseJob;
import org.screening.outreach.campaigns.CampaignSendJob;
import org.screening.outreach.campaigns.CampaignStore;
import org.screening.outreach.channels.twilio.TwilioClients;
import org.screening.outreach.dispatch.SmsRateShare;
import org.screening.outreach.web.webhooks.CampaignSmsStatus;

/** Wires the channels and the dispatcher's background jobs. */
final class Dispatching {
    private Dispatching() {}

    /** What the SMS channel needs besides its provider: the texts, the links in them, and who opted out. */
    record SmsParts(SmsTemplates templates, ReportLinks links, SmsAcceptedListener accepted, OptOuts optOuts,
                    CommunityDirectory communities) {}

    /**
     * What the voice channel needs besides its provider: the IVR conversations, how calls are settled, where calls
     * that broke off are kept until the database takes them, and whether reports kept so still wait to be applied.
     */
    record VoiceParts(Conversations conversations, CallOutcomes outcomes, BrokenOffCalls brokenOff,
                      BooleanSupplier reportsWaiting) {}

    /** Bulk campaigns (issue 4 item 5): their store, and the most of the SMS rate they may take (0..1]. */
    record CampaignParts(CampaignStore store, double smsShare) {}

    /**
     * Starts the channels and jobs; returns the capacity check the intake answers use. Providers holding
     * connections are added to {@code stoppables}.
     */
    static CapacityCheck start(OutreachConfig config, Vertx vertx, Blocking blocking, JobRunner jobs,
                               AttemptQueue queue, NodePresence presence, Clock clock, MeterRegistry registry,
                               SmsParts sms, VoiceParts voice, CampaignParts campaigns, List<AutoCloseable> stoppables) {
        ChannelRegistry channels = channels(config, vertx, clock, sms, voice, stoppables, registry);
        // One owner name per process: leases say which node holds an attempt.
        String owner = jobs.node();
        // Provider rates and trunk channels are configured for the deployment; each dispatching node takes 1/N.
        NodeShare share = new NodeShare();
        NodePresenceJob presenceJob = new NodePresenceJob(presence, share, owner, clock);
        presenceJob.runOnce(); // know the other nodes before the first send, not 10 s after it
        jobs.schedule(presenceJob);
        Gauge.builder("nodes_dispatching", share::nodes)
                .description("dispatching nodes sharing the provider limits (this node's share is 1/n)").register(registry);
        // Outcome writes a graceful stop waits for.
        Executor outcomes = jobs.writes();
        jobs.schedule(new PlanNewCasesJob(queue, clock));
        jobs.schedule(new EscalationJob(queue, clock));
        jobs.schedule(new ReapLeasesJob(queue, clock));
        Duration longestCall = VoiceChannels.longestCall(config);
        if (longestCall != null) jobs.schedule(new SettleUnreportedCallsJob(queue, voice.outcomes(), clock, longestCall,
                voice.reportsWaiting()));
        ChannelAdapter smsAdapter = channels.of(ChannelKind.SMS);
        // Reminders and campaigns share the SMS provider's rate, reminders first (see SmsRateShare).
        SmsRateShare smsRate = new SmsRateShare(smsAdapter.capacity().perSecond(), campaigns.smsShare(), clock, share);
        Dispatcher smsDispatcher = null;
        CampaignBodies bodies = new CampaignBodies();
        ChannelAdapter campaignAdapter = campaignSms(config, vertx, clock, smsAdapter, bodies, registry);
        for (ChannelAdapter adapter : channels.all()) {
            Duration lease = adapter.kind() == ChannelKind.VOICE ? config.leases().call() : config.leases().sms();
            Predicate<OutboundAttempt> optedOut = adapter.kind() == ChannelKind.SMS
                    ? a -> sms.optOuts().isOptedOut(a.phone()) : a -> false;
            AttemptQueue claims = adapter.kind() == ChannelKind.SMS ? smsRate.casesFirst(queue) : queue;
            String channel = adapter.kind().name().toLowerCase(java.util.Locale.ROOT);
            Counter failed = Counter.builder("provider_send_failures_total").tag("channel", channel)
                    .tag("provider", adapter.provider())
                    .description("SMS and calls the provider failed or refused when sent").register(registry);
            adapter.links().forEach((provider, up) -> Gauge.builder("provider_up", () -> up.getAsBoolean() ? 1 : 0)
                    .tag("channel", channel).tag("provider", provider)
                    .description("1 while the provider's link is up (Asterisk AMI); stateless APIs always 1")
                    .register(registry));
            // Campaign texts go through their own client of the same provider: one series for both.
            ToDoubleFunction<ChannelAdapter> retries = adapter.kind() == ChannelKind.SMS && campaignAdapter != adapter
                    ? a -> a.retries() + campaignAdapter.retries() : ChannelAdapter::retries;
            FunctionCounter.builder("provider_retries_total", adapter, retries).tag("channel", channel)
                    .tag("provider", adapter.provider())
                    .description("provider requests tried again (Twilio 429 / 5xx / no connection)").register(registry);
            Dispatcher d = new Dispatcher(learnsOptOuts(adapter, sms, outcomes, clock), claims, clock, owner, lease, outcomes,
                    optedOut, failed::increment, share);
            if (adapter.kind() == ChannelKind.SMS) smsDispatcher = d;
            jobs.schedule(new DispatchJob(d, "dispatch-" + adapter.kind().name().toLowerCase()));
        }
        CampaignSendJob campaignSend = new CampaignSendJob(campaigns.store(),
                learnsOptOuts(campaignAdapter, sms, outcomes, clock), bodies, smsRate, smsDispatcher::inFlight, clock, config.zone(), config.leases().sms(),
                2000, outcomes);
        jobs.schedule(campaignSend);
        Gauge.builder("campaigns_sending", campaignSend::sending).description(
                "running campaigns past their start and outside their quiet hours (they should be sending)").register(registry);
        jobs.schedule(new CampaignLeaseJob(campaigns.store(), clock));
        jobs.schedule(new CampaignCountsJob(campaigns.store(), clock));
        Capacity lines = channels.of(ChannelKind.VOICE).capacity();
        CapacityCheck check = new CapacityCheck(queue, clock, lines.callsPerSecond(config.averageCallHold()),
                registry.counter("capacity_shortfall")::increment);
        jobs.schedule(new ForecastJob(check));
        return check;
    }

    /** An SMS channel also learns the numbers its provider refuses as unsubscribed ({@link UnsubscribedAtProvider}). */
    private static ChannelAdapter learnsOptOuts(ChannelAdapter adapter, SmsParts sms, Executor writes, Clock clock) {
        return adapter.kind() == ChannelKind.SMS ? new UnsubscribedAtProvider(adapter, sms.optOuts(), writes, clock) : adapter;
    }

    static ChannelRegistry channels(OutreachConfig config, Vertx vertx, Clock clock, SmsParts sms, VoiceParts voice,
                                    List<AutoCloseable> stoppables, MeterRegistry registry) {
        OutreachConfig.Simulator sim = config.simulator();
        Delays delays = (d, r) -> vertx.setTimer(Math.max(1, d.toMillis()), id -> r.run());
        ChannelRegistry channelRegistry = new ChannelRegistry()
                .register(VoiceChannels.build(config, clock, delays, voice, stoppables));
        if (config.smsProvider().equals("twilio")) {
            return channelRegistry.register(twilioSms(config, clock, delays, sms, registry));
        }
        return channelRegistry.register(new SimSmsAdapter(sim.seed(), 0.97, Duration.ofSeconds(2),
                new Capacity(Math.max(1, (int) sim.smsPerSecond() * 10), sim.smsPerSecond()), delays));
    }

    /** The SDK's calls block; a pool of their own keeps them off the event loop and the database workers. */
    static ExecutorService daemonPool(String name, int threads) {
        return java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread th = new Thread(r, name);
            th.setDaemon(true);
            return th;
        });
    }

    /** An SMS client's sender pool, with gauges of how many requests it lets fly and has in flight. */
    private static SenderPool smsSenders(String client, OutreachConfig.Twilio t, Duration responseTimeout, Clock clock,
                                         MeterRegistry registry) {
        SenderPool pool = SenderPool.forRate(n -> daemonPool("twilio-" + client + "-sms", n), t.smsPerSecond(),
                responseTimeout, clock);
        Gauge.builder("sms_senders_limit", pool, SenderPool::limit).tag("client", client).description(
                "Twilio SMS requests this client lets fly at once now (grows while answers are quick, halves on a slowdown)")
                .register(registry);
        Gauge.builder("sms_senders_in_flight", pool, SenderPool::running).tag("client", client)
                .description("Twilio SMS requests of this client waiting for Twilio's answer").register(registry);
        return pool;
    }

    private static TwilioSmsAdapter twilioSms(OutreachConfig config, Clock clock, Delays delays, SmsParts sms,
                                              MeterRegistry registry) {
        OutreachConfig.Twilio t = config.twilio();
        TwilioSmsSettings settings = TwilioSmsSettings.of(t.accountSid(), config.twilioAuthToken(), t.from(),
                config.publicUrl() + "/webhooks/twilio/sms/status", Duration.ofHours(4),
                t.apiBase() == null ? null : URI.create(t.apiBase()));
        Executor sends = smsSenders("reminders", t, settings.responseTimeout(), clock, registry);
        Capacity capacity = new Capacity((int) Math.max(8, t.smsPerSecond() * 5), t.smsPerSecond());
        return new TwilioSmsAdapter(settings, capacity, a -> reminder(config, sms, a), sends, clock,
                RetryPolicy.defaults().within(config.leases().sms(), settings.responseTimeout()), delays, sms.accepted());
    }

    /**
     * The adapter campaign messages go through: the simulator itself, or a Twilio adapter of their own whose
     * StatusCallback names the campaign recipient (not a case attempt) and whose text is the campaign's.
     */
    private static ChannelAdapter campaignSms(OutreachConfig config, Vertx vertx, Clock clock, ChannelAdapter caseSms,
                                              CampaignBodies bodies, MeterRegistry registry) {
        if (!(caseSms instanceof TwilioSmsAdapter)) return caseSms;
        OutreachConfig.Twilio t = config.twilio();
        TwilioSmsSettings settings = TwilioSmsSettings.of(t.accountSid(), config.twilioAuthToken(), t.from(),
                config.publicUrl() + "/webhooks/twilio/sms/status", Duration.ofHours(4),
                t.apiBase() == null ? null : URI.create(t.apiBase()));
        Delays delays = (d, r) -> vertx.setTimer(Math.max(1, d.toMillis()), id -> r.run());
        Capacity capacity = caseSms.capacity();
        return new TwilioSmsAdapter(TwilioClients.create(settings.accountSid(), settings.authToken(), settings.apiBase(),
                settings.connectTimeout(), settings.responseTimeout(), Math.max(4, capacity.maxConcurrent())),
                settings, capacity, bodies, smsSenders("campaigns", t, settings.responseTimeout(), clock, registry), clock,
                RetryPolicy.defaults().within(config.leases().sms(), settings.responseTimeout()), delays,
                (id, sid, status) -> { }, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble(),
                CampaignSmsStatus.PARAMETER);
    }

    /** The category's reminder in the case's language with the case's own self-report link. */
    static String reminder(OutreachConfig config, SmsParts sms, OutboundAttempt a) {
        // An unnamed community reads "…向社区报告" / "…tell your community": the plain word rather than twelve digits.
        String lang = a.language().tag();
        return sms.templates().render("reminder." + a.category().name(), lang,
                TemplateVariables.reminder(a.name(), sms.communities().nameOf(a.jurisdiction(), a.language().communityWord()),
                        a.jurisdiction(), a.deadlineAt(), config.zone(), lang, sms.links().link(a.caseId()),
                        config.selfReport().hotline()));
    }
}
