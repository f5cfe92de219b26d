package org.screening.outreach.channels.voice.asterisk;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.OutcomeSink;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.ivr.BrokenOffCalls;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.IvrSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several Asterisk PBXs as one voice channel: one AMI link and its own channel limit per PBX, one FastAGI port that
 * every PBX's dialplan connects back to. A call goes to the PBX whose link is up with the most spare channels
 * (taking turns between equals), so a PBX that is down or full is passed over rather than failing the call; only
 * when no link is up does the call fail as {@code ami_unavailable} (and a configured failover provider takes it).
 */
public final class AsteriskPbxs implements ChannelAdapter, IvrAgiScript.Sessions, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsteriskPbxs.class);
    private final List<AsteriskVoiceAdapter> pbxs;
    private final AgiListener agi;
    private final AtomicInteger turn = new AtomicInteger();

    private AsteriskPbxs(List<AsteriskVoiceAdapter> pbxs, AsteriskSettings agiSettings, Conversations conversations,
                         BrokenOffCalls brokenOff) {
        this.pbxs = List.copyOf(pbxs);
        this.agi = new AgiListener(agiSettings, new IvrAgiScript(conversations, this, brokenOff));
    }

    /**
     * Binds the FastAGI port (throws when it cannot) and logs in to every PBX in the background. The PBXs share the
     * AGI port, bind address, dialplan and dialling rules of the first one; each has its own host, channels and
     * calls per second.
     */
    public static AsteriskPbxs start(List<AsteriskSettings> settings, Conversations conversations,
                                     BrokenOffCalls brokenOff, Clock clock) {
        if (settings.isEmpty()) throw new IllegalArgumentException("at least one PBX is needed");
        AsteriskSettings first = settings.get(0);
        LinkedHashSet<String> allowed = new LinkedHashSet<>();
        int channels = 0;
        for (AsteriskSettings s : settings) {
            allowed.addAll(s.allowedPbxHosts());
            channels += s.maxChannels();
        }
        AsteriskSettings agiSettings = first.withAgi(first.agiBindAddress(), first.agiPort(), List.copyOf(allowed))
                .withCapacity(channels, first.callsPerSecond(), first.ringTimeout());
        List<AsteriskVoiceAdapter> started = new ArrayList<>();
        AsteriskPbxs group = null;
        try {
            for (AsteriskSettings s : settings) started.add(AsteriskVoiceAdapter.member(s, conversations, brokenOff, clock));
            group = new AsteriskPbxs(started, agiSettings, conversations, brokenOff);
            group.agi.start();
        } catch (RuntimeException e) {
            started.forEach(AsteriskVoiceAdapter::stop);
            throw e;
        }
        LOG.info("Asterisk voice channel started with {} PBX(s), FastAGI on port {}", settings.size(), first.agiPort());
        return group;
    }

    public void stop() {
        pbxs.forEach(AsteriskVoiceAdapter::stop);
        agi.stop();
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public ChannelKind kind() {
        return ChannelKind.VOICE;
    }

    @Override
    public String provider() {
        return AsteriskVoiceAdapter.PROVIDER;
    }

    /**
     * The PBXs whose AMI link is up, together: their channels and their calls per second added up, so a PBX that is
     * down narrows what the dispatcher sends rather than leaving calls waiting for channels that cannot be had. With
     * every link down, all of them (calls then fail at once as {@code ami_unavailable}, and a failover provider's
     * capacity stands in).
     */
    @Override
    public Capacity capacity() {
        int channels = 0;
        double perSecond = 0;
        for (AsteriskVoiceAdapter p : pbxs) {
            if (!p.amiConnected()) continue;
            channels += p.settings().maxChannels();
            perSecond += p.settings().callsPerSecond();
        }
        if (channels > 0) return new Capacity(channels, perSecond);
        for (AsteriskVoiceAdapter p : pbxs) {
            channels += p.settings().maxChannels();
            perSecond += p.settings().callsPerSecond();
        }
        return new Capacity(channels, perSecond);
    }

    /** One link per PBX, named {@code asterisk:<pbx>} for the provider_up gauge. */
    @Override
    public Map<String, BooleanSupplier> links() {
        Map<String, BooleanSupplier> links = new LinkedHashMap<>();
        for (AsteriskVoiceAdapter p : pbxs) links.put(AsteriskVoiceAdapter.PROVIDER + ":" + p.settings().pbxName(), p::amiConnected);
        return links;
    }

    /** An attempt handed over again goes to the PBX that took it (which never dials it twice); others are chosen. */
    @Override
    public void send(OutboundAttempt attempt, OutcomeSink sink) {
        pbxs.stream().filter(p -> p.took(attempt.attemptId())).findFirst().orElseGet(this::choose).send(attempt, sink);
    }

    /**
     * The PBX with its link up and the most spare channels, taking turns between equals; with every link down the
     * first PBX, which fails the call as {@code ami_unavailable}.
     */
    AsteriskVoiceAdapter choose() {
        int n = pbxs.size();
        int start = Math.floorMod(turn.getAndIncrement(), n);
        AsteriskVoiceAdapter best = null;
        int bestSpare = Integer.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            AsteriskVoiceAdapter p = pbxs.get((start + i) % n);
            if (!p.amiConnected()) continue;
            int spare = p.spareChannels();
            if (spare > bestSpare) {
                best = p;
                bestSpare = spare;
            }
        }
        return best != null ? best : pbxs.get(0);
    }

    /** The AGI session of a call belongs to the PBX that placed it; a call none of them knows runs as untracked. */
    @Override
    public LiveCalls.AgiStart started(long attemptId) {
        for (AsteriskVoiceAdapter p : pbxs) {
            LiveCalls.AgiStart s = p.sessions().started(attemptId);
            if (s != LiveCalls.AgiStart.UNTRACKED) return s;
        }
        return LiveCalls.AgiStart.UNTRACKED;
    }

    /** Only the PBX that tracks the call reports it; the others find nothing to end. */
    @Override
    public void ended(long attemptId, Optional<IvrSession> session) {
        for (AsteriskVoiceAdapter p : pbxs) p.sessions().ended(attemptId, session);
    }

    /** Only the PBX that tracks the call reports it. */
    @Override
    public void broke(long attemptId, Optional<IvrSession> stored, String error) {
        for (AsteriskVoiceAdapter p : pbxs) p.sessions().broke(attemptId, stored, error);
    }

    @Override
    public String language(long attemptId) {
        for (AsteriskVoiceAdapter p : pbxs) {
            String l = p.sessions().language(attemptId);
            if (l != null) return l;
        }
        return null;
    }

    /** Calls ringing or talking on every PBX. */
    public int channelsInUse() {
        return pbxs.stream().mapToInt(AsteriskVoiceAdapter::channelsInUse).sum();
    }
}
