package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.ledger.CaseLedger;

/**
 * SQL behind {@link CaseLedger}. The case list pages on list_seq (see {@link CaseListNumbering}), never on the id: a
 * case committed late must not land behind a cursor a client has already passed.
 */
public final class JdbcCaseLedger implements CaseLedger {
    private final Database db;
    private final CaseListNumbering numbering;

    public JdbcCaseLedger(Database db) {
        this.db = db;
        this.numbering = new CaseListNumbering(db);
    }

    @Override
    public Optional<RiskCase> find(String caseId) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT " + Sql.CASE_COLUMNS + " FROM cases WHERE id = ?")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(Sql.riskCase(rs, db.idNumbers())) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("reading a case failed", e);
        }
    }

    @Override
    public List<LedgerEvent> events(String caseId) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT case_id, type, at, actor, data FROM ledger_events WHERE case_id = ? ORDER BY seq")) {
            ps.setString(1, caseId);
            List<LedgerEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(Sql.event(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading ledger events failed", e);
        }
    }

    @Override
    public Page list(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT " + Sql.CASE_COLUMNS + " FROM cases WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.jurisdictionPrefix() != null && !f.jurisdictionPrefix().isEmpty()) {
            sql.append(" AND jurisdiction LIKE ?");
            args.add(f.jurisdictionPrefix() + "%");
        }
        if (f.status() != null) {
            sql.append(" AND status = ?");
            args.add(f.status().name());
        }
        if (f.category() != null) {
            sql.append(" AND category = ?");
            args.add(f.category().name());
        }
        if (f.overdue() != null) {
            // Same rule as RiskCase.isOverdue: still to be reached or verified, and past the deadline.
            String open = "status NOT IN ('CLOSED', 'TRANSFERRED', 'VERIFIED', 'UNDER_CONTROL')";
            sql.append(f.overdue() ? " AND " + open + " AND deadline_at < ?" : " AND NOT (" + open + " AND deadline_at < ?)");
            args.add(Sql.ts(f.now()));
        }
        if (f.after() != null) {
            // A cursor that names no case (never a previous page's next) lists nothing rather than everything.
            sql.append(" AND list_seq > (SELECT a.list_seq FROM cases a WHERE a.id = ?)");
            args.add(f.after());
        } else {
            sql.append(" AND list_seq IS NOT NULL");
        }
        sql.append(" ORDER BY list_seq LIMIT ?");
        args.add(f.limit() + 1);
        numbering.numberNewCases();
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            List<RiskCase> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(Sql.riskCase(rs, db.idNumbers()));
            }
            String next = null;
            if (out.size() > f.limit()) {
                out.remove(out.size() - 1);
                next = out.get(out.size() - 1).id();
            }
            return new Page(out, next);
        } catch (SQLException e) {
            throw new StoreException("listing cases failed", e);
        }
    }

    @Override
    public void append(LedgerEvent event) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(Sql.INSERT_EVENT)) {
            Sql.bindEvent(ps, 1, event);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("appending a ledger event failed", e);
        }
    }

    @Override
    public boolean apply(RiskCase.StatusChange change) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try {
                boolean applied = Sql.applyStatusChange(c, change);
                if (applied) c.commit();
                else c.rollback();
                return applied;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("changing a case status failed", e);
        }
    }
}
