package org.screening.outreach.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.screening.outreach.store.EmbeddedMariaDb;
import org.screening.outreach.support.MysqldOptionFile;
import org.screening.outreach.support.ShippedFiles;

/**
 * deploy/mysql/outreach.cnf is the part of the database settings MariaDB accepts, and MariaDB really runs with it
 * (as the fault drill's does); deploy/mysql/mysql84.cnf holds only what MariaDB does not know, which is why it is
 * a file of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MySqlSettingsTest {
    static final Path SHARED = ShippedFiles.deploy("mysql/outreach.cnf");
    static final Path MYSQL_ONLY = ShippedFiles.deploy("mysql/mysql84.cnf");
    private Path dir;
    private EmbeddedMariaDb db;
    private Map<String, String> variables;

    @BeforeAll
    void startMariaDbWithTheSharedFile() throws Exception {
        dir = Path.of("target", "mysql-settings-" + ProcessHandle.current().pid()).toAbsolutePath();
        db = EmbeddedMariaDb.start(dir, freePort(), MysqldOptionFile.serverOptions(SHARED));
        variables = variables();
    }

    @AfterAll
    void stop() throws Exception {
        if (db != null) db.close();
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void mariaDbRunsWithEverySharedSetting() throws Exception {
        Map<String, String> shared = MysqldOptionFile.settings(SHARED);
        // log_bin names the files (its variable is ON/OFF); skip_name_resolve is a flag.
        assertThat(variables).containsEntry("log_bin", "ON").containsEntry("skip_name_resolve", "ON");
        for (String name : shared.keySet()) assertThat(variables).as("MariaDB knows %s", name).containsKey(name);
        for (String name : new String[] {"binlog_format", "binlog_row_image", "server_id", "binlog_expire_logs_seconds",
                "innodb_flush_log_at_trx_commit", "sync_binlog", "innodb_doublewrite", "transaction_isolation",
                "character_set_server", "collation_server", "max_connections"}) {
            assertThat(variables.get(name)).as(name).isEqualToIgnoringCase(shared.get(name));
        }
        assertThat(Long.parseLong(variables.get("innodb_buffer_pool_size"))).isEqualTo(1L << 30);
    }

    @Test
    void theMySqlOnlyFileHoldsOnlyWhatMariaDbDoesNotKnow() throws Exception {
        Map<String, String> mysqlOnly = MysqldOptionFile.settings(MYSQL_ONLY);
        assertThat(mysqlOnly).containsKeys("gtid_mode", "enforce_gtid_consistency", "innodb_redo_log_capacity");
        for (String name : mysqlOnly.keySet()) {
            assertThat(variables).as("%s is unknown to MariaDB, else it belongs in outreach.cnf", name).doesNotContainKey(name);
        }
        assertThat(mysqlOnly.keySet()).doesNotContainAnyElementsOf(MysqldOptionFile.settings(SHARED).keySet());
    }

    private Map<String, String> variables() throws SQLException {
        Map<String, String> v = new HashMap<>();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(""), "root", "");
                ResultSet r = c.createStatement().executeQuery("SHOW GLOBAL VARIABLES")) {
            while (r.next()) v.put(r.getString(1), r.getString(2));
        }
        return v;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
