package org.screening.outreach.store;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a failure of the database as a whole (down, restarting, unreachable, no free connection before the pool's
 * timeout, read-only during a failover) from a failure of one statement: only the first is worth "try again later".
 */
public final class DatabaseUnavailable {
    /**
     * MySQL/MariaDB error codes that mean the server, not the statement: 1053 server shutdown, 1290 / 1836 read-only
     * (a replica, or a primary being failed over), 1927 connection killed, 2002 / 2003 / 2006 / 2013 no connection.
     */
    private static final Set<Integer> SERVER_ERRORS = Set.of(1053, 1290, 1836, 1927, 2002, 2003, 2006, 2013);

    private DatabaseUnavailable() {}

    /** True when {@code failure}, or anything it was caused by, says the database cannot be reached or used now. */
    public static boolean causedBy(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 12; depth++, t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException) {
                return true; // the pool's timeout, a refused connection, a connection lost mid-statement
            }
            if (t instanceof SQLException e) {
                String state = e.getSQLState();
                if ((state != null && state.startsWith("08")) || SERVER_ERRORS.contains(e.getErrorCode())) return true;
            }
        }
        return false;
    }
}
