package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers committed cases for the case list (cases.list_seq), in the order they become numbered. One transaction at
 * a time holds case_list_seq's row from reading the last number until it commits, so a higher number is never
 * visible while a lower one is still to come: a client paging on list_seq can only find new cases after its cursor,
 * never behind it. A case still being inserted is locked by its transaction and skipped (SKIP LOCKED, never waited
 * for); it is numbered by a later call, above every number given before. Run before each list read, so a listing
 * sees every case committed before it (up to {@link #MAX_PER_CALL} of them numbered per call).
 */
final class CaseListNumbering {
    static final int MAX_PER_CALL = 10_000;
    private final Database db;

    CaseListNumbering(Database db) {
        this.db = db;
    }

    /** Numbers of committed cases still without one; returns how many were numbered. */
    int numberNewCases() {
        if (!anyUnnumbered()) return 0;
        return Tx.retryingConflicts(db, "numbering new cases for the case list", 3, c -> {
            long last;
            try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM case_list_seq WHERE id = 1 FOR UPDATE");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) throw new SQLException("case_list_seq has no row: migration V33 did not run");
                last = rs.getLong(1);
            }
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM cases WHERE list_seq IS NULL ORDER BY id "
                    + "LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setInt(1, MAX_PER_CALL);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) ids.add(rs.getString(1));
                }
            }
            if (ids.isEmpty()) return 0;
            try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET list_seq = ? WHERE id = ?")) {
                for (String id : ids) {
                    ps.setLong(1, ++last);
                    ps.setString(2, id);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE case_list_seq SET last_seq = ? WHERE id = 1")) {
                ps.setLong(1, last);
                ps.executeUpdate();
            }
            return ids.size();
        });
    }

    /** A plain read: sees committed cases only, takes no lock. */
    private boolean anyUnnumbered() {
        try (var c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM cases WHERE list_seq IS NULL LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw new StoreException("looking for cases to number failed", e);
        }
    }
}
