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
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException(what + " failed", e);
        }
    }
}
