package org.screening.outreach.channels.voice.asterisk;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads ASTERISK_AMI_HOST: PBXs separated by commas, each {@code host} or {@code host:port}. An IPv6 address is
 * written as in a URL when it has a port ({@code [::1]:5038}, {@code [fd00::5]:5039}); alone it may also be bare
 * ({@code ::1}, {@code fd00::5}) or bracketed ({@code [::1]}). A bare entry with more than one colon is an IPv6
 * address, never {@code address:port}: {@code fd00::5:5039} would be ambiguous, so a port needs the brackets.
 */
public final class AmiHosts {
    private static final String KEY = "ASTERISK_AMI_HOST";

    /**
     * One PBX: {@code host} as the socket takes it (an IPv6 address without brackets), its AMI port, and the name
     * it is known by (the entry as written when it has a port, else the host: {@code pbx1}, {@code pbx2:5039},
     * {@code [::1]:5038}).
     */
    public record Entry(String host, int port, String name) {}

    private AmiHosts() {}

    /** Every PBX of the value, in order; throws naming ASTERISK_AMI_HOST and the entry when one is malformed. */
    public static List<Entry> parse(String value, int defaultPort) {
        List<Entry> out = new ArrayList<>();
        if (value == null) throw new IllegalArgumentException(KEY + " names no PBX");
        for (String raw : value.split(",")) {
            String e = raw.strip();
            if (!e.isEmpty()) out.add(entry(e, defaultPort));
        }
        if (out.isEmpty()) throw new IllegalArgumentException(KEY + " names no PBX");
        return List.copyOf(out);
    }

    private static Entry entry(String e, int defaultPort) {
        if (e.startsWith("[")) {
            int close = e.indexOf(']');
            if (close < 0) throw bad(e, "an IPv6 address opened with [ is closed with ]");
            String host = e.substring(1, close);
            if (host.isEmpty() || host.indexOf(':') < 0) throw bad(e, "brackets hold an IPv6 address");
            String rest = e.substring(close + 1);
            if (rest.isEmpty()) return new Entry(host, defaultPort, host);
            if (!rest.startsWith(":")) throw bad(e, "after ] comes :port or nothing");
            return new Entry(host, port(e, rest.substring(1)), e);
        }
        if (e.indexOf(']') >= 0) throw bad(e, "an IPv6 address with a port is written [address]:port");
        int first = e.indexOf(':');
        if (first < 0) return new Entry(e, defaultPort, e);
        if (e.indexOf(':', first + 1) >= 0) return new Entry(e, defaultPort, e); // a bare IPv6 address
        String host = e.substring(0, first);
        if (host.isEmpty()) throw bad(e, "the host is missing before :port");
        return new Entry(host, port(e, e.substring(first + 1)), e);
    }

    private static int port(String entry, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) return port;
        } catch (NumberFormatException ignored) {
            // named below
        }
        throw bad(entry, "the port is a number from 1 to 65535");
    }

    private static IllegalArgumentException bad(String entry, String rule) {
        return new IllegalArgumentException(KEY + " entries are host or host:port (IPv6: [address]:port), got '"
                + entry + "': " + rule);
    }
}
