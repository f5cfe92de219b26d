package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.ledger.export.ExportedEvent;
import org.screening.outreach.ledger.export.LedgerExportStore;

/**
 * SQL behind {@link LedgerExportStore}, in two short queries per page: the next cases of the jurisdiction by key
 * (index {@code ix_cases_jurisdiction (jurisdiction, id)}, so a page costs the same at the end of a county as at its
 * start), then their events in the range (index {@code ix_ledger_events_case}). No connection is held between pages.
 * The cost grows with the cases the jurisdiction ever had, not only with the events in range: a case received
 * months ago may still be closed today. A case pushed here for another jurisdiction is in the ledger of the
 * deployment's own code, where the daily report counts it ({@link TransferFiling}).
 */
public final class JdbcLedgerExport implements LedgerExportStore {
    private final Database db;
    private final TransferFiling filing;

    /** A deployment where everything is ours (no OUTREACH_JURISDICTION). */
    public JdbcLedgerExport(Database db) {
        this(db, "");
    }

    /** {@code ownPrefix}: OUTREACH_JURISDICTION, whose ledger holds the pushes for other jurisdictions. */
    public JdbcLedgerExport(Database db, String ownPrefix) {
        this.db = db;
        this.filing = new TransferFiling(ownPrefix == null ? "" : ownPrefix);
    }

    @Override
    public Page page(String prefix, Instant from, Instant to, CaseKey after, int cases) {
        try (Connection c = db.connection()) {
            List<String> ids = new ArrayList<>(cases);
            CaseKey last = caseKeys(c, prefix, after, cases, ids);
            if (ids.isEmpty()) return new Page(List.of(), null);
            String in = String.join(", ", Collections.nCopies(ids.size(), "?"));
            List<ExportedEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.jurisdiction, c.category, c.name, c.phone, "
                    + "c.status, e.case_id, e.type, e.at, e.actor, e.data FROM ledger_events e JOIN cases c ON c.id = e.case_id "
                    + "WHERE e.case_id IN (" + in + ") AND e.at >= ? AND e.at < ? ORDER BY c.jurisdiction, c.id, e.seq")) {
                int i = 1;
                for (String id : ids) ps.setString(i++, id);
                ps.setTimestamp(i++, Sql.ts(from));
                ps.setTimestamp(i, Sql.ts(to));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new ExportedEvent(rs.getString("id"), rs.getString("jurisdiction"),
                                Category.valueOf(rs.getString("category")), rs.getString("name"), rs.getString("phone"),
                                CaseStatus.valueOf(rs.getString("status")), Sql.event(rs)));
                    }
                }
            }
            return new Page(events, ids.size() < cases ? null : last);
        } catch (SQLException e) {
            throw new StoreException("reading the ledger for an export failed", e);
        }
    }

    /** The next case ids after {@code after} into {@code ids}; the key of the last one. */
    private CaseKey caseKeys(Connection c, String prefix, CaseKey after, int limit, List<String> ids)
            throws SQLException {
        TransferFiling.Where scope = filing.filedWithin(prefix);
        String sql = "SELECT c.jurisdiction, c.id FROM cases c WHERE " + scope.sql()
                + (after == null ? "" : " AND (c.jurisdiction > ? OR (c.jurisdiction = ? AND c.id > ?))")
                + " ORDER BY c.jurisdiction, c.id LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object v : scope.params()) ps.setString(i++, (String) v);
            if (after != null) {
                ps.setString(i++, after.jurisdiction());
                ps.setString(i++, after.jurisdiction());
                ps.setString(i++, after.id());
            }
            ps.setInt(i, limit);
            CaseKey last = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    last = new CaseKey(rs.getString(1), rs.getString(2));
                    ids.add(last.id());
                }
            }
            return last;
        }
    }
}
