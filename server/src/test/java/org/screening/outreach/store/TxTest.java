package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.support.MariaDbExtension;

/**
 * A transaction the database broke off because of another one's locks (nodes starting together, say) is run again;
 * what the broken-off try wrote is gone, and other errors are not repeated.
 */
@Tag("db")
class TxTest {
    static final SQLException DEADLOCK = new SQLTransactionRollbackException(
            "Deadlock found when trying to get lock; try restarting transaction", "40001", 1213);

    @Test
    void aDeadlockedTransactionRunsAgainAndOnlyTheSecondTryStays() {
        try (MariaDbExtension.TestDb db = MariaDbExtension.freshSchema()) {
            AtomicInteger tries = new AtomicInteger();
            int seen = Tx.retryingConflicts(db.database(), "beat", 3, c -> {
                insertNode(c, "node-a");
                if (tries.incrementAndGet() == 1) throw DEADLOCK;
                return tries.get();
            });
            assertThat(seen).isEqualTo(2);
            assertThat(nodes(db.database())).isEqualTo(1);
        }
    }

    @Test
    void conflictsThatGoOnFailAfterTheLastTry() {
        try (MariaDbExtension.TestDb db = MariaDbExtension.freshSchema()) {
            AtomicInteger tries = new AtomicInteger();
            assertThatThrownBy(() -> Tx.retryingConflicts(db.database(), "beat", 3, c -> {
                tries.incrementAndGet();
                insertNode(c, "node-b");
                throw new SQLException("Lock wait timeout exceeded", "HY000", 1205);
            })).isInstanceOf(StoreException.class).hasMessage("beat failed");
            assertThat(tries).hasValue(3);
            assertThat(nodes(db.database())).isZero();
        }
    }

    @Test
    void otherErrorsAreNotRepeated() {
        try (MariaDbExtension.TestDb db = MariaDbExtension.freshSchema()) {
            AtomicInteger tries = new AtomicInteger();
            assertThatThrownBy(() -> Tx.retryingConflicts(db.database(), "beat", 3, c -> {
                tries.incrementAndGet();
                try (PreparedStatement ps = c.prepareStatement("SELECT no_such_column FROM dispatching_nodes")) {
                    return ps.executeQuery().next();
                }
            })).isInstanceOf(StoreException.class);
            assertThat(tries).hasValue(1);
        }
    }

    /**
     * Tx commits by switching autocommit back on (no COMMIT statement); on one connection, a failed transaction
     * in between is still rolled back and the next one still commits.
     */
    @Test
    void commitsWithoutACommitStatementAndAFailureBetweenStillRollsBack() {
        try (MariaDbExtension.TestDb fresh = MariaDbExtension.freshSchema();
             Database one = Database.connect(fresh.url(), "root", "", 1)) {
            long commitsBefore = sessionCommits(one);
            Tx.run(one, "beat", c -> {
                insertNode(c, "node-c");
                return null;
            });
            assertThatThrownBy(() -> Tx.run(one, "beat", c -> {
                insertNode(c, "node-d");
                throw DEADLOCK;
            })).isInstanceOf(StoreException.class).hasCause(DEADLOCK);
            Tx.run(one, "beat", c -> {
                insertNode(c, "node-e");
                return null;
            });
            assertThat(sessionCommits(one)).isEqualTo(commitsBefore);
            assertThat(nodes(fresh.database())).as("seen through another pool").isEqualTo(2);
        }
    }

    /** COMMIT statements the connection of this one-connection pool has sent. */
    static long sessionCommits(Database db) {
        return number(db, "SHOW SESSION STATUS LIKE 'Com_commit'", 2);
    }

    static void insertNode(java.sql.Connection c, String node) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO dispatching_nodes (node, seen_at) VALUES (?, NOW())")) {
            ps.setString(1, node);
            ps.executeUpdate();
        }
    }

    static int nodes(Database db) {
        return (int) number(db, "SELECT COUNT(*) FROM dispatching_nodes", 1);
    }

    static long number(Database db, String sql, int column) {
        return Tx.run(db, "count", c -> {
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(column);
            }
        });
    }
}
