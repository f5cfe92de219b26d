package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.screening.outreach.dispatch.QueueFigures;

/**
 * SQL behind {@link QueueFigures}: two range counts on indexes (cases by status and deadline, attempts by status,
 * kind and due time), cheap enough for every scrape.
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
                Duration waited = oldest == null || oldest.isAfter(now) ? Duration.ZERO : Duration.between(oldest, now);
                return new Figures(overdue, rs.getLong(1), waited);
            }
        } catch (SQLException e) {
            throw new StoreException("reading queue figures failed", e);
        }
    }
}
