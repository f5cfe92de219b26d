package org.screening.outreach;

import java.time.Clock;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.config.OutreachConfig;

/** Reads the configuration, starts the server, and stops it cleanly on SIGTERM / Ctrl-C. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        OutreachConfig config;
        try {
            config = ConfigLoader.load(args, System.getenv());
        } catch (ConfigLoader.ConfigException e) {
            System.err.println("configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        // SIGTERM / Ctrl-C: a graceful stop (OutreachServer#stop), the server's own shutdown hook from its first step.
        OutreachServer server = OutreachServer.start(config, Clock.systemUTC());
        if (server.generatedAdminToken() != null) {
            // Printed once, to the console only: the database keeps just its hash.
            System.out.println();
            System.out.println("  Admin API token (shown only now, store it safely):");
            System.out.println("  " + server.generatedAdminToken());
            System.out.println();
        }
        System.out.println("screening-outreach is up on http://localhost:" + server.port());
        if (java.util.Arrays.asList(args).contains("--demo")) {
            var seeded = Demo.seed(server.intake(), 60);
            System.out.printf("demo: %d cases pushed (%d already there) in communities 510104001001-003;%n"
                    + "  watch them: curl -H 'Authorization: Bearer <admin token>' "
                    + "'http://localhost:%d/api/v1/cases?jurisdiction=510104001'%n",
                    seeded.accepted(), seeded.duplicates(), server.port());
        }
    }
}
