package org.screening.outreach.channels.voice.asterisk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The PBX side of a FastAGI session, as Asterisk 20's {@code AGI(agi://host:port/ivr,<attempt>)} runs it: connects,
 * sends the {@code agi_*} environment and a blank line, then answers each command the way Asterisk does. The callee
 * is scripted: what is keyed at each GET DATA, silence, or a hang-up (also when the script runs out of inputs).
 * After a hang-up Asterisk writes {@code HANGUP} and refuses further commands with 511.
 */
final class FakeAsterisk {
    static final String SILENCE = "(silence)";
    static final String HANG_UP = "(hangup)";

    /** What happened: every command received, and whether the server closed before sending any. */
    record Session(List<String> commands, boolean calleeHungUp) {
        boolean refused() {
            return commands.isEmpty();
        }

        List<String> matching(String prefix) {
            return commands.stream().filter(c -> c.startsWith(prefix)).toList();
        }
    }

    private final int agiPort;
    /** The PBX's channels: where {@code SET VARIABLE} lands and {@code GET VARIABLE} reads; none: nothing is kept. */
    private volatile FakeAmiServer ami;
    private final java.util.Set<String> missing = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FakeAsterisk(int agiPort) {
        this.agiPort = agiPort;
    }

    /** Variables the AGI script sets and reads are the channel's on {@code ami} (its events carry those in channelvars). */
    FakeAsterisk channelsOn(FakeAmiServer ami) {
        this.ami = ami;
        return this;
    }

    /** Sound files this PBX does not have (quoted as STREAM FILE and GET DATA name them, e.g. {@code "communities/5101"}). */
    void lacks(String quotedFile) {
        missing.add(quotedFile);
    }

    /** Runs one session for the attempt; {@code inputs} are digits, {@link #SILENCE} or {@link #HANG_UP}. */
    Session call(long attemptId, String uniqueId, String... inputs) throws IOException {
        Deque<String> keys = new ArrayDeque<>(List.of(inputs));
        List<String> commands = new ArrayList<>();
        boolean dead = false;
        boolean calleeHungUp = false;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), agiPort)) {
            s.setSoTimeout(20_000); // a test that hangs fails instead
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            write(out, environment(attemptId, uniqueId));
            String command;
            while ((command = readCommand(in)) != null) {
                commands.add(command);
                String verb = command.toUpperCase();
                if (dead) {
                    write(out, "511 Command Not Permitted on a dead channel or intercept routine\n");
                } else if (verb.startsWith("STREAM FILE")) {
                    // Asterisk 20 answers a file it cannot open with result -1 and goes on with the session.
                    boolean lacking = missing.stream().anyMatch(command::contains);
                    write(out, lacking ? "200 result=-1 endpos=0\n" : "200 result=0 endpos=12345\n");
                } else if (verb.startsWith("GET DATA") && missing.stream().anyMatch(command::contains)) {
                    // Asterisk 20's GET DATA stops at a prompt it cannot open: -1 at once, no keys read, line up.
                    write(out, "200 result=-1\n");
                } else if (verb.startsWith("GET DATA")) {
                    String key = keys.isEmpty() ? HANG_UP : keys.pollFirst();
                    if (key.equals(HANG_UP)) {
                        dead = true;
                        calleeHungUp = true;
                        write(out, "HANGUP\n200 result=-1\n");
                    } else if (key.equals(SILENCE)) {
                        write(out, "200 result= (timeout)\n");
                    } else {
                        write(out, "200 result=" + key + "\n");
                    }
                } else if (verb.startsWith("HANGUP")) {
                    dead = true;
                    write(out, "200 result=1\n");
                } else if (verb.startsWith("ANSWER")) {
                    write(out, "200 result=0\n");
                } else if (verb.startsWith("SET VARIABLE")) {
                    setVariable(uniqueId, command.substring("SET VARIABLE".length()).strip());
                    write(out, "200 result=1\n");
                } else if (verb.startsWith("GET VARIABLE")) {
                    String value = variable(uniqueId, command.substring("GET VARIABLE".length()));
                    write(out, value == null ? "200 result=0\n" : "200 result=1 (" + value + ")\n");
                } else if (verb.startsWith("VERBOSE")) {
                    write(out, "200 result=1\n");
                } else {
                    write(out, "510 Invalid or unknown command\n");
                }
            }
        } catch (java.net.SocketException e) {
            // reset by the server: same as a close for this fake
        }
        return new Session(List.copyOf(commands), calleeHungUp);
    }

    /** {@code "<name>" "<value>"}, as Asterisk-Java writes SET VARIABLE. */
    private void setVariable(String uniqueId, String nameAndValue) {
        FakeAmiServer to = ami;
        if (to == null) return;
        int space = nameAndValue.indexOf(' ');
        String name = space < 0 ? nameAndValue : nameAndValue.substring(0, space);
        String value = space < 0 ? "" : nameAndValue.substring(space + 1);
        to.setChannelVariable(uniqueId, unquoted(name), unquoted(value));
    }

    /** The channel's variable as the AMI side knows it (the Originate's and those set since); null without one. */
    private String variable(String uniqueId, String name) {
        FakeAmiServer from = ami;
        return from == null ? null : from.channelVariable(uniqueId, unquoted(name));
    }

    private static String unquoted(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static String readCommand(BufferedReader in) throws IOException {
        try {
            return in.readLine();
        } catch (java.net.SocketException e) {
            return null;
        }
    }

    private String environment(long attemptId, String uniqueId) {
        return "agi_network: yes\n"
                + "agi_network_script: ivr\n"
                + "agi_request: agi://127.0.0.1:" + agiPort + "/ivr\n"
                + "agi_channel: PJSIP/carrier-00000001\n"
                + "agi_language: zh\n"
                + "agi_type: PJSIP\n"
                + "agi_uniqueid: " + uniqueId + "\n"
                + "agi_version: 20.5.0\n"
                + "agi_callerid: unknown\n"
                + "agi_calleridname: unknown\n"
                + "agi_callingpres: 0\n"
                + "agi_callingani2: 0\n"
                + "agi_callington: 0\n"
                + "agi_callingtns: 0\n"
                + "agi_dnid: unknown\n"
                + "agi_rdnis: unknown\n"
                + "agi_context: outreach-ivr\n"
                + "agi_extension: s\n"
                + "agi_priority: 1\n"
                + "agi_enhanced: 0.0\n"
                + "agi_accountcode: \n"
                + "agi_threadid: 140245367744256\n"
                + "agi_arg_1: " + attemptId + "\n"
                + "\n";
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
