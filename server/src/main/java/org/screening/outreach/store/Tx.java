package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one short transaction: commit on success, roll back on any failure. */
final class Tx {
    interface Work<T> {
        T apply(Connection c) throws SQLException;
    }

    private Tx() {}

    static <T> T run(Database db, String what, Work<T> work) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                // Commits: the driver sends only SET autocommit=1, which ends the open transaction, where commit()
                // would send COMMIT and the pool then SET autocommit=1 on return; one round trip less each time.
                // If the commit fails the driver keeps autocommit off, so the rollback below still applies.
                c.setAutoCommit(true);
                return result;
            } catch (SQLException | RuntimeException e) {
                rollBack(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed", e);
        }
    }

    /**
     * Rolls back after {@code failure}; a failing rollback is attached to it, not thrown instead: the work's failure is
     * what callers judge (a conflict to retry, the database away).
     */
    private static void rollBack(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException r) {
            failure.addSuppressed(r);
        }
    }

    /**
     * As {@link #run}, but a transaction the database broke off as a deadlock or lock wait timeout is run again, up to
     * {@code tries} times in all: the server rolled all of it back, so {@code work} must only touch the database.
     */
    static <T> T retryingConflicts(Database db, String what, int tries, Work<T> work) {
        for (int i = 1; ; i++) {
            try {
                return run(db, what, work);
            } catch (StoreException e) {
                if (i >= tries || !conflict(e.getCause())) throw e;
            }
        }
    }

    /** Deadlock (1213) or lock wait timeout (1205): another transaction's locks, not this one's data. */
    static boolean conflict(Throwable e) {
        return e instanceof SQLException s && (s.getErrorCode() == 1213 || s.getErrorCode() == 1205);
    }
}
