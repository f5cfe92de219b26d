package org.screening.outreach.channels.voice.asterisk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A PBX's Asterisk Manager Interface on 127.0.0.1, speaking the wire format of Asterisk 20 (AMI 5.0.1): banner,
 * MD5 challenge login, CoreSettings / "core show version" (Asterisk-Java's version probe), Ping, Logoff, and async
 * Originate answered by {@code Response: Success} then, per the dialled number's scripted {@link Outcome}, an
 * {@code OriginateResponse} event and, for answered calls, a {@code Hangup} event once the callee is done. Events go
 * to every logged-in session, as Asterisk's do. Can drop its clients and refuse new ones on demand.
 */
public final class FakeAmiServer implements AutoCloseable {

    /** What the callee of an answered call does (e.g. a FastAGI session); the Hangup event follows its return. */
    @FunctionalInterface
    public interface Callee {
        void answered(long attemptId, String uniqueId) throws Exception;
    }

    /**
     * How a dialled number responds: an Originate reason, with a callee for reason 4; HOLD never responds.
     * {@code ringMillis}: how long the call rings before the OriginateResponse (a link dropped meanwhile loses it).
     */
    public record Outcome(int reason, Callee callee, boolean neverResponds, long ringMillis) {
        public static Outcome answer(Callee callee) {
            return new Outcome(4, callee, false, 0);
        }

        public static Outcome reason(int reason) {
            return new Outcome(reason, null, false, 0);
        }

        public static Outcome hold() {
            return new Outcome(-1, null, true, 0);
        }

        /** The same outcome after ringing this long. */
        public Outcome afterRinging(java.time.Duration ring) {
            return new Outcome(reason, callee, neverResponds, ring.toMillis());
        }
    }

    private final String user;
    private final String secret;
    private final int port;
    private final InetAddress address;
    private final ServerSocket server;
    private boolean paused;
    private final List<Session> sessions = new CopyOnWriteArrayList<>();
    private final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();
    private final Map<Long, AtomicInteger> originates = new ConcurrentHashMap<>();
    private final List<Map<String, String>> originateActions = new CopyOnWriteArrayList<>();
    private final AtomicInteger logins = new AtomicInteger();
    private final AtomicInteger channelSeq = new AtomicInteger();
    private final AtomicInteger liveChannels = new AtomicInteger();
    private final AtomicInteger maxLiveChannels = new AtomicInteger();
    private final AtomicInteger hangupsSent = new AtomicInteger();
    private final List<Throwable> calleeErrors = new CopyOnWriteArrayList<>();
    private volatile Outcome defaultOutcome = Outcome.reason(3);
    /** Channels up now (ringing or answered): Uniqueid → the channel, for the Status action. */
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final AtomicInteger statusActions = new AtomicInteger();

    private record Live(String channel, long attemptId, int state, String context) {}

    /** Variables set on each channel (Uniqueid → name → value), as a dialplan or an AGI script sets them. */
    private final Map<String, Map<String, String>> channelVariables = new ConcurrentHashMap<>();
    /** The variables every channel event carries as {@code ChanVariable}, as manager.conf's {@code channelvars} says. */
    private volatile List<String> channelvars = List.of();

    public FakeAmiServer(String user, String secret) throws IOException {
        this(user, secret, InetAddress.getLoopbackAddress());
    }

    /** Listening on {@code address} (e.g. IPv6's {@code ::1}). */
    public FakeAmiServer(String user, String secret, InetAddress address) throws IOException {
        this.user = user;
        this.secret = secret;
        this.address = address;
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(address, 0));
        this.port = s.getLocalPort();
        this.server = s;
        listen(s);
    }

    public int port() {
        return port;
    }

    /** Channel events carry these variables, as with {@code channelvars = <names>} in manager.conf. */
    void channelvars(List<String> names) {
        channelvars = List.copyOf(names);
    }

    /** A variable set on the channel {@code uniqueId} (AGI {@code SET VARIABLE}). */
    void setChannelVariable(String uniqueId, String name, String value) {
        channelVariables.computeIfAbsent(uniqueId, u -> new ConcurrentHashMap<>()).put(name, value);
    }

    /** A variable of the channel {@code uniqueId} (AGI {@code GET VARIABLE}); null when unset. */
    String channelVariable(String uniqueId, String name) {
        return channelVariables.getOrDefault(uniqueId, Map.of()).get(name);
    }

    /** Asterisk 12+'s {@code ChanVariable: NAME=value} lines, one per {@code channelvars} name, empty when unset. */
    private String chanVariables(String uniqueId) {
        Map<String, String> set = channelVariables.getOrDefault(uniqueId, Map.of());
        StringBuilder lines = new StringBuilder();
        for (String name : channelvars) {
            lines.append("ChanVariable: ").append(name).append('=').append(set.getOrDefault(name, "")).append("\r\n");
        }
        return lines.toString();
    }

    /** Scripts the outcome of calls whose Originate channel contains {@code number}. */
    void script(String number, Outcome outcome) {
        outcomes.put(number, outcome);
    }

    public void scriptDefault(Outcome outcome) {
        defaultOutcome = outcome;
    }

    public int originates(long attemptId) {
        AtomicInteger n = originates.get(attemptId);
        return n == null ? 0 : n.get();
    }

    /** Originates received in all. */
    public int originateCount() {
        return originateActions.size();
    }

    public List<Map<String, String>> originateActions() {
        return List.copyOf(originateActions);
    }

    int logins() {
        return logins.get();
    }

    /** Most calls that were up (originated and not yet hung up) at one time. */
    int maxLiveChannels() {
        return maxLiveChannels.get();
    }

    /** Hangup events sent so far; once counted, later events reach a client after it. */
    int hangupsSent() {
        return hangupsSent.get();
    }

    /** The calls of this attempt end while no client hears it (no Hangup event): as during an AMI outage. */
    void endSilently(long attemptId) {
        live.values().removeIf(l -> l.attemptId() == attemptId);
    }

    /** Status actions received. */
    int statusActions() {
        return statusActions.get();
    }

    List<Throwable> calleeErrors() {
        return List.copyOf(calleeErrors);
    }

    /** Closes every client connection, as a PBX restart or a network cut does; the port stays open. */
    public void dropClients() {
        for (Session s : sessions) s.close();
    }

    /**
     * Drops clients and resets every new connection as it arrives, until {@link #resume()}: a PBX that is down. The
     * port stays bound: binding it again after closing can fail ("Address already in use") while the dropped
     * connections linger in TIME_WAIT.
     */
    public synchronized void pause() {
        paused = true;
        dropClients();
    }

    public synchronized void resume() {
        paused = false;
    }

    @Override
    public void close() throws IOException {
        server.close();
        dropClients();
    }

    private void listen(ServerSocket s) {
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Session session;
                    synchronized (this) { // a connection accepted just before a pause must not outlive it
                        if (paused) {
                            client.setSoLinger(true, 0); // RST, as near to a refused connection as an open port gets
                            client.close();
                            continue;
                        }
                        session = new Session(client);
                        sessions.add(session);
                    }
                    Thread r = new Thread(session::run, "fake-ami-session");
                    r.setDaemon(true);
                    r.start();
                } catch (IOException e) {
                    if (s.isClosed()) return;
                }
            }
        }, "fake-ami-accept");
        t.setDaemon(true);
        t.start();
    }

    private void broadcast(String message) {
        for (Session s : sessions) {
            if (s.loggedIn) s.write(message);
        }
    }

    private void originate(Session from, Map<String, String> action) {
        String actionId = action.getOrDefault("actionid", "");
        long attemptId = attemptOf(action);
        originates.computeIfAbsent(attemptId, k -> new AtomicInteger()).incrementAndGet();
        originateActions.add(action);
        from.write(response("Success", actionId, "Message: Originate successfully queued\r\n"));
        String channel = action.getOrDefault("channel", "");
        Outcome outcome = outcomes.entrySet().stream().filter(e -> channel.contains(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(defaultOutcome);
        if (outcome.neverResponds()) {
            // Rings on: a channel up for the Status action, with no OriginateResponse ever.
            int seq = channelSeq.incrementAndGet();
            live.put("1700000000." + seq, new Live("PJSIP/carrier-" + String.format("%08x", seq), attemptId, 5,
                    action.getOrDefault("context", "")));
            return;
        }
        Thread call = new Thread(() -> runCall(actionId, attemptId, action, outcome), "fake-pbx-call");
        call.setDaemon(true);
        call.start();
    }

    private void runCall(String actionId, long attemptId, Map<String, String> action, Outcome outcome) {
        if (outcome.ringMillis() > 0) {
            try {
                Thread.sleep(outcome.ringMillis()); // the callee's phone ringing, on this call's own thread
            } catch (InterruptedException e) {
                return;
            }
        }
        int seq = channelSeq.incrementAndGet();
        String uniqueId = "1700000000." + seq;
        String channel = "PJSIP/carrier-" + String.format("%08x", seq);
        if (outcome.reason() != 4) {
            broadcast(originateResponse(actionId, "Failure", action.getOrDefault("channel", ""), outcome.reason(),
                    "<null>", action));
            return;
        }
        maxLiveChannels.accumulateAndGet(liveChannels.incrementAndGet(), Math::max);
        live.put(uniqueId, new Live(channel, attemptId, 6, action.getOrDefault("context", "")));
        for (String v : action.getOrDefault("variable", "").split("\n")) { // the Originate's, set on the channel
            int eq = v.indexOf('=');
            if (eq > 0) setChannelVariable(uniqueId, v.substring(0, eq).strip(), v.substring(eq + 1));
        }
        broadcast(originateResponse(actionId, "Success", channel, 4, uniqueId, action));
        try {
            if (outcome.callee() != null) outcome.callee().answered(attemptId, uniqueId);
        } catch (Throwable e) {
            calleeErrors.add(e);
        } finally {
            liveChannels.decrementAndGet();
            live.remove(uniqueId);
            broadcast("Event: Hangup\r\nPrivilege: call,all\r\nChannel: " + channel + "\r\nChannelState: 6\r\n"
                    + "ChannelStateDesc: Up\r\nCallerIDNum: <unknown>\r\nCallerIDName: <unknown>\r\n"
                    + "ConnectedLineNum: <unknown>\r\nConnectedLineName: <unknown>\r\nLanguage: zh\r\nAccountCode: \r\n"
                    + "Context: " + action.getOrDefault("context", "") + "\r\nExten: s\r\nPriority: 2\r\n"
                    + "Uniqueid: " + uniqueId + "\r\nLinkedid: " + uniqueId + "\r\nCause: 16\r\n"
                    + "Cause-txt: Normal Clearing\r\n" + chanVariables(uniqueId) + "\r\n");
            hangupsSent.incrementAndGet();
        }
    }

    private static String originateResponse(String actionId, String response, String channel, int reason,
                                            String uniqueId, Map<String, String> action) {
        return "Event: OriginateResponse\r\nPrivilege: call,all\r\nActionID: " + actionId + "\r\nResponse: " + response
                + "\r\nChannel: " + channel + "\r\nContext: " + action.getOrDefault("context", "")
                + "\r\nExten: " + action.getOrDefault("exten", "") + "\r\nApplication: \r\nData: \r\nReason: " + reason
                + "\r\nUniqueid: " + uniqueId + "\r\nCallerIDNum: <unknown>\r\nCallerIDName: <unknown>\r\n\r\n";
    }

    private static long attemptOf(Map<String, String> action) {
        for (String v : action.getOrDefault("variable", "").split("\n")) {
            if (v.startsWith(AsteriskVoiceAdapter.ATTEMPT_VARIABLE + "=")) {
                return Long.parseLong(v.substring(v.indexOf('=') + 1));
            }
        }
        return -1;
    }

    private static String response(String status, String actionId, String body) {
        return "Response: " + status + "\r\nActionID: " + actionId + "\r\n" + body + "\r\n";
    }

    /** One client connection, served in order like an Asterisk manager session. */
    private final class Session {
        final Socket socket;
        volatile boolean loggedIn;
        String challenge;

        Session(Socket socket) {
            this.socket = socket;
        }

        void run() {
            try (socket) {
                write("Asterisk Call Manager/5.0.1\r\n");
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                Map<String, String> action = new LinkedHashMap<>();
                String line;
                while ((line = in.readLine()) != null) {
                    if (!line.isEmpty()) {
                        int colon = line.indexOf(':');
                        if (colon > 0) {
                            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                            String value = line.substring(colon + 1).trim();
                            action.merge(key, value, (a, b) -> a + "\n" + b); // Variable: may repeat
                        }
                        continue;
                    }
                    if (!action.isEmpty() && !handle(action)) return;
                    action = new LinkedHashMap<>();
                }
            } catch (IOException e) {
                // dropped
            } finally {
                sessions.remove(this);
            }
        }

        /** False when the session ends (logoff, failed login). */
        boolean handle(Map<String, String> action) {
            String id = action.getOrDefault("actionid", "");
            String name = action.getOrDefault("action", "").toLowerCase(Locale.ROOT);
            switch (name) {
                case "challenge" -> {
                    challenge = Integer.toString(ThreadLocalRandom.current().nextInt(100_000_000, 999_999_999));
                    write(response("Success", id, "Challenge: " + challenge + "\r\n"));
                }
                case "login" -> {
                    boolean ok = user.equals(action.get("username")) && "md5".equalsIgnoreCase(action.get("authtype"))
                            && challenge != null && md5(challenge + secret).equalsIgnoreCase(action.get("key"));
                    if (!ok) {
                        write(response("Error", id, "Message: Authentication failed\r\n"));
                        return false;
                    }
                    loggedIn = true;
                    logins.incrementAndGet();
                    write(response("Success", id, "Message: Authentication accepted\r\n"));
                    write("Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 100\r\nLastReload: 100\r\n"
                            + "Status: Fully Booted\r\n\r\n");
                }
                case "logoff" -> {
                    write(response("Goodbye", id, "Message: Thanks for all the fish.\r\n"));
                    return false;
                }
                default -> {
                    if (!loggedIn) {
                        write(response("Error", id, "Message: Permission denied\r\n"));
                        return true;
                    }
                    switch (name) {
                        case "coresettings" -> write(response("Success", id, "AMIversion: 5.0.1\r\n"
                                + "AsteriskVersion: 20.5.0\r\nSystemName: \r\nCoreMaxCalls: 0\r\n"
                                + "CoreMaxLoadAvg: 0.000000\r\nCoreRunUser: asterisk\r\nCoreRunGroup: asterisk\r\n"
                                + "CoreMaxFilehandles: 0\r\nCoreRealTimeEnabled: No\r\nCoreCDRenabled: Yes\r\n"
                                + "CoreHTTPenabled: No\r\n"));
                        case "command" -> write(response("Success", id, "Message: Command output follows\r\n"
                                + "Output: Asterisk 20.5.0 built by fake on a x86_64 running Linux\r\n"));
                        case "ping" -> write(response("Success", id, "Ping: Pong\r\nTimestamp: 1700000000.000000\r\n"));
                        case "originate" -> originate(this, action);
                        case "status" -> status(id, action.getOrDefault("variables", ""));
                        default -> write(response("Error", id, "Message: Invalid/unknown command\r\n"));
                    }
                }
            }
            return true;
        }

        /**
         * Asterisk 20's answer to {@code Status} with {@code Variables}: a list of Status events, one per channel up,
         * each with a {@code Variable: NAME=value} line per variable asked for, then StatusComplete.
         */
        void status(String actionId, String variables) {
            statusActions.incrementAndGet();
            StringBuilder out = new StringBuilder(response("Success", actionId,
                    "EventList: start\r\nMessage: Channel status will follow\r\n"));
            int n = 0;
            for (Map.Entry<String, Live> e : live.entrySet()) {
                Live l = e.getValue();
                n++;
                out.append("Event: Status\r\nPrivilege: Call\r\nActionID: ").append(actionId).append("\r\nChannel: ")
                        .append(l.channel()).append("\r\nChannelState: ").append(l.state())
                        .append("\r\nChannelStateDesc: ").append(l.state() == 6 ? "Up" : "Ringing")
                        .append("\r\nCallerIDNum: <unknown>\r\nCallerIDName: <unknown>\r\nConnectedLineNum: <unknown>\r\n"
                                + "ConnectedLineName: <unknown>\r\nLanguage: zh\r\nAccountCode: \r\nContext: ")
                        .append(l.context()).append("\r\nExten: s\r\nPriority: 3\r\nUniqueid: ").append(e.getKey())
                        .append("\r\nLinkedid: ").append(e.getKey())
                        .append("\r\nType: PJSIP\r\nDNID: \r\nEffectiveConnectedLineNum: <unknown>\r\n"
                                + "EffectiveConnectedLineName: <unknown>\r\nTimeToHangup: 0\r\nBridgeID: \r\n"
                                + "Application: AGI\r\nData: agi://127.0.0.1/ivr\r\nNativeformats: (ulaw)\r\n"
                                + "Readformat: ulaw\r\nReadtrans: \r\nWriteformat: ulaw\r\nWritetrans: \r\n"
                                + "Callgroup: 0\r\nPickupgroup: 0\r\nSeconds: 12\r\n");
                for (String v : variables.split(",")) {
                    if (v.strip().equals(AsteriskVoiceAdapter.ATTEMPT_VARIABLE)) {
                        out.append("Variable: ").append(AsteriskVoiceAdapter.ATTEMPT_VARIABLE).append('=')
                                .append(l.attemptId()).append("\r\n");
                    }
                }
                out.append("\r\n");
            }
            out.append("Event: StatusComplete\r\nActionID: ").append(actionId)
                    .append("\r\nEventList: Complete\r\nListItems: ").append(n).append("\r\nItems: ").append(n)
                    .append("\r\n\r\n");
            write(out.toString());
        }

        synchronized void write(String s) {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(s.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                close();
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
