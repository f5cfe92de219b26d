package org.screening.outreach;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.Delays;
import org.screening.outreach.channels.FailoverAdapter;
import org.screening.outreach.channels.twilio.RetryPolicy;
import org.screening.outreach.channels.voice.asterisk.AmiHosts;
import org.screening.outreach.channels.voice.asterisk.AsteriskSettings;
import org.screening.outreach.channels.voice.asterisk.AsteriskPbxs;
import org.screening.outreach.channels.voice.sim.SimVoiceAdapter;
import org.screening.outreach.channels.voice.twilio.TwilioVoiceAdapter;
import org.screening.outreach.channels.voice.twilio.TwilioVoiceSettings;
import org.screening.outreach.config.OutreachConfig;

/**
 * Builds the voice channel from the configuration: the provider (sim, twilio, asterisk), with a secondary behind
 * it when OUTREACH_VOICE_FAILOVER names one. Providers that hold connections (Asterisk's AMI link and FastAGI
 * port) are added to {@code stoppables} for the server's shutdown.
 */
final class VoiceChannels {
    private VoiceChannels() {}

    static ChannelAdapter build(OutreachConfig config, Clock clock, Delays delays, Dispatching.VoiceParts voice,
                                List<AutoCloseable> stoppables) {
        ChannelAdapter primary = provider(config.voiceProvider(), config, clock, delays, voice, stoppables);
        if (config.voiceFailover().equals("none")) return primary;
        return new FailoverAdapter(primary, provider(config.voiceFailover(), config, clock, delays, voice, stoppables));
    }

    /**
     * How long after a call was handed to its provider (Twilio) or dialled (Asterisk) its outcome must have come,
     * for the settling job; null when no provider in use can leave an outcome unreported (the simulator).
     * Ringing plus the call limit, plus a margin: Twilio's status callbacks may come minutes late, while Asterisk
     * calls are reported at their hang-up and only need the settling job's own period.
     */
    static Duration longestCall(OutreachConfig config) {
        Duration longest = null;
        if (uses(config, "twilio")) {
            longest = config.twilio().ring().plus(config.callLimit()).plus(Duration.ofMinutes(5));
        }
        if (uses(config, "asterisk")) {
            Duration asterisk = config.asterisk().ring().plus(config.callLimit()).plus(Duration.ofSeconds(30));
            if (longest == null || asterisk.compareTo(longest) > 0) longest = asterisk;
        }
        return longest;
    }

    static boolean uses(OutreachConfig config, String provider) {
        return config.voiceProvider().equals(provider) || config.voiceFailover().equals(provider);
    }

    private static ChannelAdapter provider(String name, OutreachConfig config, Clock clock, Delays delays,
                                           Dispatching.VoiceParts voice, List<AutoCloseable> stoppables) {
        return switch (name) {
            case "sim" -> sim(config.simulator(), delays);
            case "twilio" -> twilio(config, clock, delays);
            case "asterisk" -> {
                AsteriskPbxs a = AsteriskPbxs.start(asterisk(config.asterisk(), config.callLimit(), config.leases().call()),
                        voice.conversations(), voice.brokenOff(), clock);
                stoppables.add(a::stop);
                yield a;
            }
            default -> throw new IllegalStateException("no voice provider " + name);
        };
    }

    private static SimVoiceAdapter sim(OutreachConfig.Simulator sim, Delays delays) {
        return new SimVoiceAdapter(sim.seed(), new SimVoiceAdapter.Behaviour(sim.answerRate(), sim.busyRate(),
                sim.noAnswerRate(), sim.talk(), sim.ring()), new Capacity(sim.voiceChannels(), sim.callsPerSecond()), delays);
    }

    private static TwilioVoiceAdapter twilio(OutreachConfig config, Clock clock, Delays delays) {
        OutreachConfig.Twilio t = config.twilio();
        TwilioVoiceSettings settings = new TwilioVoiceSettings(t.accountSid(), config.twilioAuthToken(), t.from(),
                config.publicUrl(), t.ring(), config.callLimit(), t.machineDetection(),
                t.apiBase() == null ? null : URI.create(t.apiBase()), Duration.ofSeconds(5), Duration.ofSeconds(15));
        // A create-call request takes a few hundred ms: enough threads for a second's worth of calls.
        int threads = (int) Math.min(32, Math.max(4, Math.ceil(t.callsPerSecond())));
        return new TwilioVoiceAdapter(settings, new Capacity(t.maxCalls(), t.callsPerSecond(), false),
                Dispatching.daemonPool("twilio-voice", threads), clock,
                RetryPolicy.defaults().within(config.leases().call(), settings.responseTimeout()), delays);
    }

    /**
     * One PBX per entry of ASTERISK_AMI_HOST ({@code host}, {@code host:port} or {@code [IPv6]:port},
     * comma-separated; see {@link AmiHosts}), each with the login, dialling rules and OUTREACH_ASTERISK_CHANNELS /
     * _CALLS_PER_SECOND of its own trunk; FastAGI connections are taken from OUTREACH_AGI_ALLOWED_HOSTS, or else
     * from every PBX host.
     */
    static List<AsteriskSettings> asterisk(OutreachConfig.Asterisk a, Duration callLimit) {
        return asterisk(a, callLimit, null);
    }

    /**
     * {@code callLease}: how long this node holds a claimed call (OUTREACH_CALL_LEASE_SECONDS); a call waiting for a
     * free channel gives up well before it ends, when another node could take the attempt.
     */
    static List<AsteriskSettings> asterisk(OutreachConfig.Asterisk a, Duration callLimit, Duration callLease) {
        Duration queueWait = AsteriskSettings.DEFAULT_QUEUE_WAIT;
        if (callLease != null && callLease.dividedBy(2).compareTo(queueWait) < 0) queueWait = callLease.dividedBy(2);
        List<AsteriskSettings> pbxs = new java.util.ArrayList<>();
        List<String> hosts = new java.util.ArrayList<>();
        for (AmiHosts.Entry e : AmiHosts.parse(a.amiHost(), a.amiPort())) {
            hosts.add(e.host());
            pbxs.add(AsteriskSettings.defaults(e.host(), a.amiUser(), a.amiSecret())
                    .withPbxName(e.name())
                    .withAmiPort(e.port())
                    .withDialling(a.channelTemplate(), a.stripPrefix(), a.dialPrefix(), a.callerId())
                    .withContext(a.context())
                    .withCapacity(a.channels(), a.callsPerSecond(), a.ring())
                    .withCallLimit(callLimit)
                    .withQueueWait(queueWait));
        }
        List<String> allowed = a.agiAllowedHosts().isEmpty() ? hosts : a.agiAllowedHosts();
        return pbxs.stream().map(p -> p.withAgi(null, a.agiPort(), allowed)).toList();
    }
}
