package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/** The suite's MariaDB answers as strictly as a MySQL 8.4 on its defaults, so no query works only on MariaDB. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class MySqlModeTest {

    @Test
    void theRepositoriesConnectionsRunUnderMySql8sDefaultSqlMode(TestDb db) throws Exception {
        try (Connection c = db.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@SESSION.sql_mode")) {
            rs.next();
            assertThat(rs.getString(1).split(",")).contains("ONLY_FULL_GROUP_BY", "STRICT_TRANS_TABLES",
                    "NO_ZERO_IN_DATE", "NO_ZERO_DATE", "ERROR_FOR_DIVISION_BY_ZERO");
        }
    }

    @Test
    void aColumnNeitherGroupedNorAggregatedIsRefusedAsMySqlWould(TestDb db) throws Exception {
        try (Connection c = db.database().connection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT status, jurisdiction FROM cases GROUP BY status"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("GROUP BY");
        }
    }
}
