package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Which failures mean "the database is away, try later" (503) and which are one statement's problem (500). */
class DatabaseUnavailableTest {
    @Test
    void thePoolTimingOutOrALostConnectionIsAnOutage() {
        assertThat(DatabaseUnavailable.causedBy(new StoreException("reading cases failed",
                new SQLTransientConnectionException("outreach-db - Connection is not available, request timed out")))).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new CompletionException(new StoreException("x",
                new SQLException("Communications link failure", "08S01"))))).isTrue();
        assertThat(DatabaseUnavailable.causedBy(new StoreException("x",
                new SQLException("The MariaDB server is running with the --read-only option", "HY000", 1290)))).isTrue();
    }

    @Test
    void aStatementsOwnFailureIsNot() {
        assertThat(DatabaseUnavailable.causedBy(new StoreException("x",
                new SQLIntegrityConstraintViolationException("Duplicate entry", "23000", 1062)))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseUnavailable.causedBy(null)).isFalse();
    }
}
