package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.screening.outreach.domain.DailyReport;
import org.screening.outreach.ledger.DailyReports;

/**
 * The daily report in nine grouped counts. "Reached" is the first move to REACHED, VERIFIED or UNDER_CONTROL in
 * the ledger (a self-report can verify at once), on time when at or before the case's deadline.
 */
public final class JdbcDailyReports implements DailyReports {
    static final String REACHED = "JSON_UNQUOTE(JSON_EXTRACT(e.data, '$.to')) IN ('REACHED', 'VERIFIED', 'UNDER_CONTROL')";
    private final Database db;
    private final TransferFiling filing;

    /** {@code ownPrefix}: this deployment's jurisdiction, under whose code foreign pushes and their hand-overs count. */
    public JdbcDailyReports(Database db, String ownPrefix) {
        this.db = db;
        this.filing = new TransferFiling(ownPrefix == null ? "" : ownPrefix);
    }

    @Override
    public DailyReport daily(LocalDate date, String prefix, ZoneId zone, Instant now) {
        Instant from = date.atStartOfDay(zone).toInstant();
        Instant to = date.plusDays(1).atStartOfDay(zone).toInstant();
        int digits = DailyReport.childDigits(prefix);
        TransferFiling.Where scope = filing.filedWithin(prefix);
        // Every figure counts where the case is filed: a foreign push counts as received, and as handed over, in the
        // row of the deployment's own code, so each row and each level adds up (a province is the sum of its cities).
        String group = "SELECT LEFT(" + filing.sql() + ", ?) g, ";
        String received = "FROM cases c WHERE c.received_at >= ? AND c.received_at < ? AND " + scope.sql();
        Object[] dayArgs = args(digits, List.of(from, to), scope); // how every query below starts
        return Tx.run(db, "building the daily report", c -> {
            Map<String, long[]> rows = new TreeMap<>();
            count(c, rows, 0, group + "COUNT(*) " + received + " GROUP BY g", dayArgs);
            count(c, rows, 1, group + "COUNT(*) " + received + " AND EXISTS (SELECT 1 FROM ledger_events e "
                    + "WHERE e.case_id = c.id AND e.type = 'STATUS_CHANGED' AND " + REACHED
                    + " AND e.at <= c.deadline_at)"
                    + " GROUP BY g", dayArgs);
            count(c, rows, 2, group + "COUNT(*) " + received + " AND EXISTS (SELECT 1 FROM ledger_events e "
                    + "WHERE e.case_id = c.id AND e.type = 'DOOR_KNOCK_CREATED') GROUP BY g", dayArgs);
            count(c, rows, 3, group + "COUNT(*) " + received + " AND c.deadline_at <= ? AND NOT EXISTS (SELECT 1 "
                    + "FROM ledger_events e WHERE e.case_id = c.id AND e.type = 'STATUS_CHANGED' AND " + REACHED
                    + " AND e.at <= c.deadline_at) AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.case_id = c.id "
                    + "AND t.direction = 'OUT' AND t.created_at <= c.deadline_at) GROUP BY g",
                    append(dayArgs, now));
            for (int i = 0; i < 2; i++) {
                count(c, rows, 4 + i, group + "COUNT(DISTINCT c.id) FROM ledger_events e "
                        + "JOIN cases c ON c.id = e.case_id "
                        + "WHERE e.type = 'STATUS_CHANGED' AND e.at >= ? AND e.at < ? AND " + scope.sql()
                        + " AND JSON_UNQUOTE(JSON_EXTRACT(e.data, '$.to')) = ? GROUP BY g",
                        append(dayArgs, i == 0 ? "VERIFIED" : "CLOSED"));
            }
            String sent = group + "COUNT(*) FROM transfers t JOIN cases c ON c.id = t.case_id "
                    + "WHERE t.direction = 'OUT' "
                    + "AND t.created_at >= ? AND t.created_at < ? AND " + scope.sql();
            count(c, rows, 6, sent + " GROUP BY g", dayArgs);
            count(c, rows, 7, sent + " AND t.acked_at <= t.ack_by GROUP BY g", dayArgs);
            count(c, rows, 8, sent + " AND t.escalated_at IS NOT NULL GROUP BY g", dayArgs);
            List<DailyReport.Row> out = new ArrayList<>();
            rows.forEach((g, v) -> out.add(new DailyReport.Row(g, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8])));
            return DailyReport.of(date, prefix, out);
        });
    }

    /** The grouping's parameters (filing, digits), then {@code between}, then the scope's. */
    private Object[] args(int digits, List<Object> between, TransferFiling.Where scope) {
        List<Object> out = new ArrayList<>(filing.params());
        out.add(digits);
        out.addAll(between);
        out.addAll(scope.params());
        return out.toArray();
    }

    private static Object[] append(Object[] args, Object last) {
        Object[] out = java.util.Arrays.copyOf(args, args.length + 1);
        out[args.length] = last;
        return out;
    }

    private static void count(Connection c, Map<String, long[]> rows, int column, String sql, Object... params)
            throws SQLException {
        try (PreparedStatement ps = Sql.bind(c.prepareStatement(sql), params)) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) rows.computeIfAbsent(rs.getString(1), k -> new long[9])[column] = rs.getLong(2);
            }
        }
    }
}
