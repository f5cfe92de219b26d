package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.config.ConfigLoader;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.TestIdKeys;
import org.screening.outreach.web.report.ReportLinks;

/**
 * Nodes behind one load balancer share a database and must sign self-report links with one key: the first node
 * records the key's fingerprint, a node with another key refuses to start rather than refuse half the links.
 */
@Tag("db")
class ReportLinkKeyStartTest {
    static final byte[] KEY = TestIdKeys.key(7);
    static final byte[] OTHER_KEY = TestIdKeys.key(8);

    @Test
    void theFirstNodeRecordsItsKeyAndANodeWithTheSameKeyStarts(@TempDir Path dir) throws SQLException {
        try (TestDb db = MariaDbExtension.freshSchema();
             OutreachServer first = start(db, dir.resolve("a"), KEY);
             OutreachServer second = start(db, dir.resolve("b"), KEY)) {
            assertThat(recorded(db)).isEqualTo(keyId(KEY)).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void aNodeWithAnotherKeyRefusesToStartAndChangesNothing(@TempDir Path dir) throws SQLException {
        try (TestDb db = MariaDbExtension.freshSchema(); OutreachServer first = start(db, dir.resolve("a"), KEY)) {
            assertThatThrownBy(() -> start(db, dir.resolve("b"), OTHER_KEY)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("OUTREACH_REPORT_KEY").hasMessageContaining("every node needs the same")
                    .hasMessageContaining(keyId(OTHER_KEY)).hasMessageContaining(keyId(KEY))
                    .hasMessageContaining("DELETE FROM report_link_key")
                    .hasMessageNotContaining(Base64.getEncoder().encodeToString(OTHER_KEY));
            assertThat(recorded(db)).isEqualTo(keyId(KEY));
        }
    }

    @Test
    void generatedKeysAreCheckedTheSameWayAndDeletingTheRowRotates(@TempDir Path dir) throws Exception {
        try (TestDb db = MariaDbExtension.freshSchema()) {
            try (OutreachServer first = start(db, dir.resolve("a"), null)) {
                assertThat(recorded(db)).isEqualTo(keyId(generated(dir.resolve("a"))));
            }
            assertThatThrownBy(() -> start(db, dir.resolve("b"), null)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("OUTREACH_REPORT_KEY").hasMessageContaining("report-link.key");
            assertThat(recorded(db)).isEqualTo(keyId(generated(dir.resolve("a"))));
            start(db, dir.resolve("a"), null).close();

            try (Connection c = db.database().connection(); Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM report_link_key");
            }
            start(db, dir.resolve("b"), null).close();
            assertThat(recorded(db)).isEqualTo(keyId(generated(dir.resolve("b"))));
        }
    }

    /** A node with data dir {@code dataDir}; {@code reportKey} null leaves OUTREACH_REPORT_KEY unset. */
    static OutreachServer start(TestDb db, Path dataDir, byte[] reportKey) {
        Map<String, String> s = new HashMap<>(TestIdKeys.settings());
        s.remove("OUTREACH_REPORT_KEY");
        if (reportKey != null) s.put("OUTREACH_REPORT_KEY", Base64.getEncoder().encodeToString(reportKey));
        s.putAll(Map.of("OUTREACH_HTTP_PORT", "0", "OUTREACH_DB_URL", db.url(), "OUTREACH_ADMIN_TOKEN", "t",
                "OUTREACH_DATA_DIR", dataDir.toString(), "OUTREACH_DISPATCH", "off"));
        return OutreachServer.start(ConfigLoader.fromMap(s), Clock.systemUTC());
    }

    static String keyId(byte[] key) {
        return new ReportLinks("https://outreach.example.cn", key, Clock.systemUTC(), Duration.ofHours(1)).keyId();
    }

    static byte[] generated(Path dataDir) throws java.io.IOException {
        return Base64.getDecoder().decode(Files.readString(dataDir.resolve("report-link.key")).strip());
    }

    static String recorded(TestDb db) throws SQLException {
        try (Connection c = db.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT key_id FROM report_link_key")) {
            assertThat(rs.next()).as("a recorded key").isTrue();
            String keyId = rs.getString(1);
            assertThat(rs.next()).as("one row").isFalse();
            return keyId;
        }
    }
}
