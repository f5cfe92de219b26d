package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.screening.outreach.dispatch.QueueFigures;

/**
 * SQL behind {@link QueueFigures}: three range counts on indexes (cases by status and deadline, attempts by status,
 * kind and due time, door knocks by status and due time), each reading only the backlog it counts, not the whole
 * table: cheap enough for every scrape (about 40 ms together for a bad day's backlog: 48,000 cases overdue and
 * 44,000 attempts waiting among a million cases and two million attempts). Cases by status, a count of every case,
 * is not here: see CountCasesJob.
 */
public final class JdbcQueueFigures implements QueueFigures {
    /** The statuses RiskCase.isOverdue counts: open and neither verified nor under control. */
    private static final String CHASED = "('NEW', 'CONTACTING', 'REACHED', 'DOOR_KNOCK', 'POLICE_REVIEW')";
    private final Database db;

    public JdbcQueueFigures(Database db) {
        this.db = db;
    }

    @Override
    public Figures read(Instant now) {
        try (Connection c = db.connection()) {
            long overdue;
            long due;
            Duration waited;
            try (PreparedStatement ps = Sql.bind(c.prepareStatement("SELECT COUNT(*) FROM cases WHERE status IN " + CHASED
                    + " AND deadline_at < ?"), now); ResultSet rs = ps.executeQuery()) {
                rs.next();
                overdue = rs.getLong(1);
            }
            try (PreparedStatement ps = Sql.bind(c.prepareStatement("SELECT COUNT(*), MIN(due_at) AS oldest FROM attempts "
                    + "WHERE status = 'PLANNED' AND kind IN ('SMS', 'VOICE') AND due_at <= ?"), now);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                Instant oldest = Sql.instant(rs, "oldest");
                waited = oldest == null || oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now);
                due = rs.getLong(1);
            }
            // One pass over the open tasks, by ix_door_knock_status_due (a few thousand at most: each is a person
            // staff must visit).
            try (PreparedStatement ps = Sql.bind(c.prepareStatement("SELECT COUNT(*), "
                    + "COALESCE(SUM(status = 'OPEN' AND due_at <= ?), 0), COALESCE(SUM(due_at < ?), 0) "
                    + "FROM door_knock_tasks WHERE status IN ('OPEN', 'ASSIGNED')"), now.plus(DOOR_KNOCK_SOON), now);
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Figures(overdue, due, waited, rs.getLong(1), rs.getLong(2), rs.getLong(3));
            }
        } catch (SQLException e) {
            throw new StoreException("reading queue figures failed", e);
        }
    }
}
