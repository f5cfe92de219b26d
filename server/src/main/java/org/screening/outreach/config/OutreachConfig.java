package org.screening.outreach.config;

import java.nio.file.Path;
import java.time.ZoneId;
import org.screening.outreach.domain.Deadlines;

/**
 * The whole server configuration, read once at start by {@link ConfigLoader} (defaults < file < env).
 * {@code dbUrl} null means: start the embedded MariaDB under {@code dataDir}.
 */
public record OutreachConfig(
        int httpPort,
        Path dataDir,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String adminToken,
        String publicUrl,
        String smsProvider,
        String voiceProvider,
        ZoneId zone,
        long maxImportBytes,
        long maxJsonBytes,
        int intakeBatchSize,
        int dbPoolSize,
        Deadlines deadlines) {

    public boolean embeddedDatabase() {
        return dbUrl == null;
    }

    public OutreachConfig withHttpPort(int port) {
        return new OutreachConfig(port, dataDir, dbUrl, dbUser, dbPassword, adminToken, publicUrl, smsProvider,
                voiceProvider, zone, maxImportBytes, maxJsonBytes, intakeBatchSize, dbPoolSize, deadlines);
    }
}
