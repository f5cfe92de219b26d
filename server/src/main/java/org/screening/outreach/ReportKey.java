package org.screening.outreach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.screening.outreach.web.report.ReportLinks;

/**
 * The key that signs self-report links: from OUTREACH_REPORT_KEY, else generated once and kept in the data dir
 * (owner-only). Several servers must share the configured key, or links of one are refused by another: a node
 * with another key than the database recorded refuses to start (store.ReportLinkKeyCheck).
 */
final class ReportKey {
    private ReportKey() {}

    static byte[] load(String configuredBase64, Path dataDir) {
        if (configuredBase64 != null) {
            try {
                byte[] key = Base64.getDecoder().decode(configuredBase64.strip());
                if (key.length < 32) throw new IllegalStateException("OUTREACH_REPORT_KEY must be at least 32 bytes (base64)");
                return key;
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("OUTREACH_REPORT_KEY is not base64");
            }
        }
        Path file = dataDir.resolve("report-link.key");
        try {
            if (Files.exists(file)) return Base64.getDecoder().decode(Files.readString(file).strip());
            Files.createDirectories(dataDir);
            byte[] key = ReportLinks.newKey();
            Files.writeString(file, Base64.getEncoder().encodeToString(key));
            try {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system; the data dir's own permissions protect it
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
