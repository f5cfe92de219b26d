package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import org.screening.outreach.dispatch.JobLeases;

/** SQL behind {@link JobLeases}: one upsert and a read of the row it locked, in one short transaction. */
public final class JdbcJobLeases implements JobLeases {
    /*
     * MySQL and MariaDB apply ON DUPLICATE KEY UPDATE assignments left to right, each seeing the columns assigned
     * before it. So acquired_at and holder are decided on the row as it was, and held_until last, on the holder
     * just decided: it moves only if this node holds the lease now (renewed, or taken over because it had lapsed).
     * Parameters, not VALUES(): MySQL 8 deprecates VALUES() there and MariaDB lacks the row alias that replaces it.
     */
    private static final String ACQUIRE = "INSERT INTO job_leases (job, holder, acquired_at, held_until) "
            + "VALUES (?, ?, ?, ?) ON DUPLICATE KEY UPDATE "
            + "acquired_at = IF(holder <> ? AND held_until <= ?, ?, acquired_at), "
            + "holder = IF(held_until <= ?, ?, holder), "
            + "held_until = IF(holder = ?, ?, held_until)";

    private final Database db;

    public JdbcJobLeases(Database db) {
        this.db = db;
    }

    @Override
    public Lease acquire(String job, String node, Instant now, Instant until) {
        return Tx.run(db, "taking the lease of job " + job, c -> {
            Timestamp at = Sql.ts(now);
            Timestamp end = Sql.ts(until);
            try (PreparedStatement ps = c.prepareStatement(ACQUIRE)) {
                ps.setString(1, job);
                ps.setString(2, node);
                ps.setTimestamp(3, at);
                ps.setTimestamp(4, end);
                ps.setString(5, node);
                ps.setTimestamp(6, at);
                ps.setTimestamp(7, at);
                ps.setTimestamp(8, at);
                ps.setString(9, node);
                ps.setString(10, node);
                ps.setTimestamp(11, end);
                ps.executeUpdate();
            }
            // The upsert locked the row: this reads what it left, not a newer holder.
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT holder, acquired_at, held_until FROM job_leases WHERE job = ?")) {
                ps.setString(1, job);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Lease(job, rs.getString("holder"), Sql.instant(rs, "acquired_at"),
                            Sql.instant(rs, "held_until"));
                }
            }
        });
    }

    @Override
    public int releaseAll(String node) {
        return Tx.run(db, "giving up job leases", c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM job_leases WHERE holder = ?")) {
                ps.setString(1, node);
                return ps.executeUpdate();
            }
        });
    }
}
