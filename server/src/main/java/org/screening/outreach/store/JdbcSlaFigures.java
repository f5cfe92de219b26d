package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.ledger.SlaFigures;

/**
 * SQL behind {@link SlaFigures}, with the daily report's definitions ({@link JdbcDailyReports}). Days are buckets of
 * 24 h from the first day's midnight in the zone: exact for zones without daylight saving (China's). Cases count
 * where the daily report counts them ({@link TransferFiling}): a push for another jurisdiction is the deployment's.
 */
public final class JdbcSlaFigures implements SlaFigures {
    private static final String IN_RANGE = "c.received_at >= ? AND c.received_at < ? AND ";
    private static final String REACHED_IN_TIME = "EXISTS (SELECT 1 FROM ledger_events e WHERE e.case_id = c.id "
            + "AND e.type = 'STATUS_CHANGED' AND " + JdbcDailyReports.REACHED + " AND e.at <= c.deadline_at)";
    private static final String OVERDUE = "c.deadline_at <= ? AND NOT " + REACHED_IN_TIME
            + " AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.case_id = c.id AND t.direction = 'OUT'"
            + " AND t.created_at <= c.deadline_at)";
    private final Database db;
    private final TransferFiling filing;

    /** {@code ownPrefix}: this deployment's jurisdiction (OUTREACH_JURISDICTION; empty: everything is ours). */
    public JdbcSlaFigures(Database db, String ownPrefix) {
        this.db = db;
        this.filing = new TransferFiling(ownPrefix == null ? "" : ownPrefix);
    }

    /** The parameters of {@code before}, the received range, the scope's, then {@code after}, in SQL order. */
    private static Object[] args(List<Object> before, Instant start, Instant end, TransferFiling.Where scope,
                                 Object... after) {
        List<Object> out = new ArrayList<>(before);
        out.add(start);
        out.add(end);
        out.addAll(scope.params());
        out.addAll(List.of(after));
        return out.toArray();
    }

    @Override
    public List<Day> days(String prefix, LocalDate from, LocalDate to, ZoneId zone, Instant now) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        int n = (int) (to.toEpochDay() - from.toEpochDay()) + 1;
        TransferFiling.Where scope = filing.filedWithin(prefix);
        String day = "SELECT FLOOR(TIMESTAMPDIFF(SECOND, ?, c.received_at) / 86400) d, COUNT(*) FROM cases c WHERE "
                + IN_RANGE + scope.sql();
        return Tx.run(db, "reading the SLA trend", c -> {
            long[][] v = new long[3][n];
            count(c, v[0], day + " GROUP BY d", args(List.of(start), start, end, scope));
            count(c, v[1], day + " AND " + REACHED_IN_TIME + " GROUP BY d", args(List.of(start), start, end, scope));
            count(c, v[2], day + " AND " + OVERDUE + " GROUP BY d", args(List.of(start), start, end, scope, now));
            List<Day> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(new Day(from.plusDays(i), v[0][i], v[1][i], v[2][i]));
            return out;
        });
    }

    @Override
    public List<CategoryShare> byCategory(String prefix, LocalDate from, LocalDate to, ZoneId zone) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        TransferFiling.Where scope = filing.filedWithin(prefix);
        String sql = "SELECT c.category, COUNT(*), SUM(" + REACHED_IN_TIME + ") FROM cases c WHERE " + IN_RANGE
                + scope.sql() + " GROUP BY c.category";
        return Tx.run(db, "reading the SLA by category", c -> {
            Map<Category, CategoryShare> found = new EnumMap<>(Category.class);
            try (PreparedStatement ps = Sql.bind(c.prepareStatement(sql), args(List.of(), start, end, scope));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Category cat = Category.valueOf(rs.getString(1));
                    found.put(cat, new CategoryShare(cat, rs.getLong(2), rs.getLong(3)));
                }
            }
            List<CategoryShare> out = new ArrayList<>();
            for (Category cat : Category.values()) out.add(found.getOrDefault(cat, new CategoryShare(cat, 0, 0)));
            return out;
        });
    }

    @Override
    public List<Breach> breaches(String prefix, LocalDate from, LocalDate to, ZoneId zone, Instant now, int limit) {
        Instant start = from.atStartOfDay(zone).toInstant();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        TransferFiling.Where scope = filing.filedWithin(prefix);
        String sql = "SELECT c.id, c.name, c.category, c.jurisdiction, c.deadline_at, c.status, "
                + "(SELECT MIN(e.at) FROM ledger_events e WHERE e.case_id = c.id AND e.type = 'STATUS_CHANGED' AND "
                + JdbcDailyReports.REACHED + ") reached_at, "
                + "(SELECT k.reason FROM door_knock_tasks k WHERE k.case_id = c.id ORDER BY k.id DESC LIMIT 1) knock "
                + "FROM cases c WHERE " + IN_RANGE + scope.sql() + " AND " + OVERDUE
                + " ORDER BY c.deadline_at LIMIT ?";
        return Tx.run(db, "reading deadline breaches", c -> {
            List<Breach> out = new ArrayList<>();
            try (PreparedStatement ps = Sql.bind(c.prepareStatement(sql),
                    args(List.of(), start, end, scope, now, limit));
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Breach(rs.getString(1), rs.getString(2), Category.valueOf(rs.getString(3)),
                            rs.getString(4), Sql.instant(rs, "deadline_at"), CaseStatus.valueOf(rs.getString(6)),
                            Sql.instant(rs, "reached_at"), rs.getString("knock")));
                }
            }
            return out;
        });
    }

    private static void count(Connection c, long[] into, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = Sql.bind(c.prepareStatement(sql), params); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                int d = rs.getInt(1);
                if (d >= 0 && d < into.length) into[d] = rs.getLong(2);
            }
        }
    }
}
