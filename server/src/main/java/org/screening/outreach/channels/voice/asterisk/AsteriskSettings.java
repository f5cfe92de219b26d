package org.screening.outreach.channels.voice.asterisk;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the server reaches one Asterisk PBX: the AMI login that places calls (ASTERISK_AMI_HOST/_PORT/_USER/_SECRET),
 * what each Originate asks for, how many calls it may carry, and the FastAGI port the PBX's dialplan connects back
 * to (OUTREACH_AGI_PORT).
 *
 * <p>Dialled number: the attempt's phone is E.164 ({@code +8613800138000}). When it starts with
 * {@code stripPrefix} that prefix is removed and {@code dialPrefix} put in front, then the result replaces
 * {@code {number}} in {@code channelTemplate}. Defaults strip {@code +86} and add nothing, so a Chinese number is
 * dialled in national format ({@code PJSIP/13800138000@carrier}, a landline with its trunk prefix:
 * {@code PJSIP/02812345678@carrier}); a trunk that wants E.164 sets
 * {@code stripPrefix} empty; one that wants a trunk prefix for other countries sets {@code dialPrefix} to e.g.
 * {@code 00} with {@code stripPrefix} {@code +}.
 *
 * @param pbxName          our name for this PBX, recorded with every outcome
 * @param channelTemplate  Originate channel, {@code {number}} replaced by the dialled number
 * @param callerId         Originate CallerID, null for the trunk's default
 * @param ringTimeout      how long a call rings before it counts as not answered
 * @param callLimit        how long an answered call may last: sent with each Originate for the dialplan's
 *                         {@code TIMEOUT(absolute)} (OUTREACH_CALL_LIMIT_SECONDS)
 * @param callsPerSecond   new calls per second the PBX and trunk accept
 * @param maxChannels      calls ringing or talking at once, never exceeded by this adapter
 * @param agiBindAddress   address the FastAGI server listens on; null for all interfaces
 * @param allowedPbxHosts  hosts (names or addresses) whose FastAGI connections are served; others are closed
 * @param reconnectInterval wait between login tries while the PBX cannot be reached at start (later drops are
 *                          retried by Asterisk-Java itself)
 * @param pingInterval     AMI keep-alive; a link silent for three intervals is taken as dropped and reopened
 * @param queueWait        the longest a call handed over while every channel is taken waits for one (never past its
 *                         case's deadline); then it fails as {@code no_free_channel} and the case's plan goes on.
 *                         Shorter than the call lease, after which another node may take the attempt
 */
public record AsteriskSettings(String pbxName, String amiHost, int amiPort, String amiUser, String amiSecret,
                               String channelTemplate, String stripPrefix, String dialPrefix, String context,
                               String exten, int priority, String callerId, Duration ringTimeout,
                               Duration callLimit, double callsPerSecond, int maxChannels, String agiBindAddress, int agiPort,
                               List<String> allowedPbxHosts, Duration reconnectInterval, Duration pingInterval,
                               Duration queueWait) {

    public static final int DEFAULT_AMI_PORT = 5038;
    public static final int DEFAULT_AGI_PORT = 4573;
    public static final String DEFAULT_CHANNEL_TEMPLATE = "PJSIP/{number}@carrier";
    public static final String DEFAULT_CONTEXT = "outreach-ivr";
    /** The longest a call waits here for a free channel by default. */
    public static final Duration DEFAULT_QUEUE_WAIT = Duration.ofSeconds(60);

    public AsteriskSettings {
        require(pbxName, "pbxName");
        require(amiHost, "amiHost (ASTERISK_AMI_HOST)");
        require(amiUser, "amiUser (ASTERISK_AMI_USER)");
        require(amiSecret, "amiSecret (ASTERISK_AMI_SECRET)");
        require(channelTemplate, "channelTemplate");
        if (!channelTemplate.contains(DialString.NUMBER)) {
            throw new IllegalArgumentException("channelTemplate must contain " + DialString.NUMBER + ": " + channelTemplate);
        }
        require(context, "context");
        require(exten, "exten");
        stripPrefix = stripPrefix == null ? "" : stripPrefix;
        dialPrefix = dialPrefix == null ? "" : dialPrefix;
        port(amiPort, "amiPort");
        port(agiPort, "agiPort");
        if (priority < 1) throw new IllegalArgumentException("priority must be at least 1");
        if (maxChannels < 1) throw new IllegalArgumentException("maxChannels must be at least 1");
        if (!(callsPerSecond > 0)) throw new IllegalArgumentException("callsPerSecond must be positive");
        positive(ringTimeout, "ringTimeout");
        positive(callLimit, "callLimit");
        positive(reconnectInterval, "reconnectInterval");
        positive(pingInterval, "pingInterval");
        positive(queueWait, "queueWait");
        allowedPbxHosts = List.copyOf(allowedPbxHosts == null || allowedPbxHosts.isEmpty()
                ? List.of(amiHost) : allowedPbxHosts);
    }

    /**
     * The defaults of DESIGN.md around the one PBX at {@code amiHost}: AMI port 5038, AGI port 4573 on all
     * interfaces, only {@code amiHost} may open AGI sessions, context {@code outreach-ivr} at {@code s,1}, 30 s of
     * ringing, calls of at most 10 minutes, 10 channels, 2 calls per second, Chinese numbers dialled in national format.
     */
    public static AsteriskSettings defaults(String amiHost, String amiUser, String amiSecret) {
        return new AsteriskSettings("asterisk", amiHost, DEFAULT_AMI_PORT, amiUser, amiSecret,
                DEFAULT_CHANNEL_TEMPLATE, "+86", "", DEFAULT_CONTEXT, "s", 1, null, Duration.ofSeconds(30),
                Duration.ofMinutes(10), 2.0, 10, null, DEFAULT_AGI_PORT, List.of(amiHost), Duration.ofSeconds(5), Duration.ofSeconds(20),
                DEFAULT_QUEUE_WAIT);
    }

    public AsteriskSettings withPbxName(String name) {
        return new AsteriskSettings(name, amiHost, amiPort, amiUser, amiSecret, channelTemplate, stripPrefix,
                dialPrefix, context, exten, priority, callerId, ringTimeout, callLimit, callsPerSecond, maxChannels,
                agiBindAddress, agiPort, allowedPbxHosts, reconnectInterval, pingInterval, queueWait);
    }

    public AsteriskSettings withAmiPort(int port) {
        return new AsteriskSettings(pbxName, amiHost, port, amiUser, amiSecret, channelTemplate, stripPrefix,
                dialPrefix, context, exten, priority, callerId, ringTimeout, callLimit, callsPerSecond, maxChannels,
                agiBindAddress, agiPort, allowedPbxHosts, reconnectInterval, pingInterval, queueWait);
    }

    public AsteriskSettings withAgi(String bindAddress, int port, List<String> allowedHosts) {
        return new AsteriskSettings(pbxName, amiHost, amiPort, amiUser, amiSecret, channelTemplate, stripPrefix,
                dialPrefix, context, exten, priority, callerId, ringTimeout, callLimit, callsPerSecond, maxChannels,
                bindAddress, port, allowedHosts, reconnectInterval, pingInterval, queueWait);
    }

    public AsteriskSettings withDialling(String template, String strip, String prefix, String callerIdText) {
        return new AsteriskSettings(pbxName, amiHost, amiPort, amiUser, amiSecret, template, strip, prefix, context,
                exten, priority, callerIdText, ringTimeout, callLimit, callsPerSecond, maxChannels, agiBindAddress, agiPort,
                allowedPbxHosts, reconnectInterval, pingInterval, queueWait);
    }

    /** The dialplan context answered calls enter (OUTREACH_ASTERISK_CONTEXT), at {@code exten}, priority 1. */
    public AsteriskSettings withContext(String dialplanContext) {
        return new AsteriskSettings(pbxName, amiHost, amiPort, amiUser, amiSecret, channelTemplate, stripPrefix,
                dialPrefix, dialplanContext, exten, priority, callerId, ringTimeout, callLimit, callsPerSecond, maxChannels,
                agiBindAddress, agiPort, allowedPbxHosts, reconnectInterval, pingInterval, queueWait);
    }

    public AsteriskSettings withCapacity(int channels, double perSecond, Duration ring) {
        return new AsteriskSettings(pbxName, amiHost, amiPort, amiUser, amiSecret, channelTemplate, stripPrefix,
                dialPrefix, context, exten, priority, callerId, ring, callLimit, perSecond, channels, agiBindAddress, agiPort,
                allowedPbxHosts, reconnectInterval, pingInterval, queueWait);
    }

    public AsteriskSettings withCallLimit(Duration limit) {
        return new AsteriskSettings(pbxName, amiHost, amiPort, amiUser, amiSecret, channelTemplate, stripPrefix,
                dialPrefix, context, exten, priority, callerId, ringTimeout, limit, callsPerSecond, maxChannels,
                agiBindAddress, agiPort, allowedPbxHosts, reconnectInterval, pingInterval, queueWait);
    }

    public AsteriskSettings withQueueWait(Duration wait) {
        return new AsteriskSettings(pbxName, amiHost, amiPort, amiUser, amiSecret, channelTemplate, stripPrefix,
                dialPrefix, context, exten, priority, callerId, ringTimeout, callLimit, callsPerSecond, maxChannels,
                agiBindAddress, agiPort, allowedPbxHosts, reconnectInterval, pingInterval, wait);
    }

    public AsteriskSettings withTimers(Duration reconnect, Duration ping) {
        return new AsteriskSettings(pbxName, amiHost, amiPort, amiUser, amiSecret, channelTemplate, stripPrefix,
                dialPrefix, context, exten, priority, callerId, ringTimeout, callLimit, callsPerSecond, maxChannels,
                agiBindAddress, agiPort, allowedPbxHosts, reconnect, ping, queueWait);
    }

    /** {@code host:port} of the AMI login, an IPv6 address in brackets ({@code [::1]:5038}). */
    public String amiAddress() {
        return (amiHost.indexOf(':') >= 0 ? "[" + amiHost + "]" : amiHost) + ":" + amiPort;
    }

    /** Never shows the AMI secret (settings get logged at start). */
    @Override
    public String toString() {
        return "AsteriskSettings[pbx=" + pbxName + ", ami=" + amiUser + "@" + amiAddress()
                + ", secret=****, channel=" + channelTemplate + ", strip=" + stripPrefix + ", dialPrefix=" + dialPrefix
                + ", dialplan=" + context + "," + exten + "," + priority + ", callerId=" + callerId
                + ", ring=" + ringTimeout + ", callLimit=" + callLimit + ", maxChannels=" + maxChannels + ", callsPerSecond=" + callsPerSecond
                + ", queueWait=" + queueWait
                + ", agi=" + (agiBindAddress == null ? "*" : agiBindAddress) + ":" + agiPort
                + ", agiAllowed=" + allowedPbxHosts + "]";
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("Asterisk setting missing: " + name);
    }

    private static void port(int port, String name) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException(name + " out of range: " + port);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }
}
