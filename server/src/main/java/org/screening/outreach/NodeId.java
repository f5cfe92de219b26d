package org.screening.outreach;

import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The name this process goes by in the shared database (attempt leases, job leases): host, pid and a random part,
 * so a restarted process on the same host and pid is still a different node. At most 64 characters (the columns).
 */
final class NodeId {
    private NodeId() {}

    static String create() {
        String suffix = "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt() | 0x10000000);
        String host = host();
        return host.substring(0, Math.min(host.length(), 64 - suffix.length())) + suffix;
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "node";
        }
    }
}
