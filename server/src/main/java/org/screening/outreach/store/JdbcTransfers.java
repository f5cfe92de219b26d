package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.Transfer;
import org.screening.outreach.ledger.transfer.TransferStore;

/** SQL behind {@link TransferStore} (table {@code transfers}, V12, V32). */
public final class JdbcTransfers implements TransferStore {
    private static final String COLUMNS = "direction, id, case_id, peer_prefix, to_jurisdiction, reason, status, "
            + "created_at, ack_by, escalate_at, acked_at, escalated_at, attempts, last_error, peer_case_id";
    private static final String INSERT = "INSERT INTO transfers (" + COLUMNS + ", next_try_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private final Database db;
    private final TransferFiling filing;

    /** {@code ownPrefix}: this deployment's jurisdiction (OUTREACH_JURISDICTION; empty: everything is ours). */
    public JdbcTransfers(Database db, String ownPrefix) {
        this.db = db;
        this.filing = new TransferFiling(ownPrefix);
    }

    @Override
    public Optional<Transfer> handOver(String caseId, Function<RiskCase, HandOver> decide, Instant now) {
        return Tx.run(db, "handing a case over", c -> {
            Optional<RiskCase> rc = Sql.lockCase(c, db.idNumbers(), caseId);
            if (rc.isEmpty()) return Optional.empty();
            HandOver h = decide.apply(rc.get());
            CaseEffects.apply(c, rc.get(), h.step(), now);
            insert(c, h.transfer(), h.transfer().status() == Transfer.Status.SENDING ? now : null);
            return Optional.of(h.transfer());
        });
    }

    private static void insert(Connection c, Transfer t, Instant nextTry) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, t.direction().name());
            ps.setString(2, t.id());
            ps.setString(3, t.caseId());
            ps.setString(4, t.peerPrefix());
            ps.setString(5, t.toJurisdiction());
            ps.setString(6, t.reason());
            ps.setString(7, t.status().name());
            ps.setTimestamp(8, Sql.ts(t.createdAt()));
            ps.setTimestamp(9, Sql.ts(t.ackBy()));
            ps.setTimestamp(10, Sql.ts(t.escalateAt()));
            ps.setTimestamp(11, Sql.ts(t.ackedAt()));
            ps.setTimestamp(12, Sql.ts(t.escalatedAt()));
            ps.setInt(13, t.attempts());
            ps.setString(14, t.lastError());
            ps.setString(15, t.peerCaseId());
            ps.setTimestamp(16, Sql.ts(nextTry));
            ps.executeUpdate();
        }
    }

    @Override
    public List<Claim> claimDue(Instant now, Instant leaseUntil, int limit) {
        return Tx.run(db, "claiming transfers", c -> {
            List<Claim> due = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", COALESCE(sending_since, created_at) "
                    + "since FROM transfers WHERE status IN ('SENDING', 'ACK_PENDING') AND next_try_at <= ? "
                    + "ORDER BY next_try_at LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setTimestamp(1, Sql.ts(now));
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) due.add(new Claim(transfer(rs), Sql.claimToken(), Sql.instant(rs, "since")));
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE transfers SET next_try_at = ?, claim_token = ? WHERE direction = ? AND id = ?")) {
                for (Claim claim : due) {
                    ps.setTimestamp(1, Sql.ts(leaseUntil));
                    ps.setString(2, claim.token());
                    ps.setString(3, claim.transfer().direction().name());
                    ps.setString(4, claim.transfer().id());
                    ps.addBatch();
                }
                if (!due.isEmpty()) ps.executeBatch();
            }
            return due;
        });
    }

    @Override
    public Settled settle(Claim claim, Settlement s) {
        Transfer t = claim.transfer();
        return Tx.run(db, "settling a transfer", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE transfers SET status = ?, next_try_at = ?, "
                    + "last_error = ?, attempts = attempts + 1, claim_token = NULL "
                    + "WHERE direction = ? AND id = ? AND claim_token = ? AND status IN ('SENDING', 'ACK_PENDING')")) {
                ps.setString(1, s.status().name());
                ps.setTimestamp(2, Sql.ts(s.nextTryAt()));
                ps.setString(3, clip(s.lastError()));
                ps.setString(4, t.direction().name());
                ps.setString(5, t.id());
                ps.setString(6, claim.token());
                if (ps.executeUpdate() != 1) return Settled.LOST;
            }
            for (LedgerEvent e : s.events()) Sql.insertEvent(c, e);
            if (s.escalation() == null) return Settled.SETTLED;
            return markEscalated(c, t.id(), s.escalation()) ? Settled.ESCALATED : Settled.SETTLED;
        });
    }

    /**
     * The one place a transfer becomes escalated: a conditional update, so of the paths that try (the escalation job
     * on any node, a refusal being settled) exactly one writes the TRANSFER_ESCALATED event.
     */
    private static boolean markEscalated(Connection c, String id, LedgerEvent event) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE transfers SET escalated_at = ? WHERE direction = 'OUT' "
                + "AND id = ? AND acked_at IS NULL AND escalated_at IS NULL")) {
            ps.setTimestamp(1, Sql.ts(event.at()));
            ps.setString(2, id);
            if (ps.executeUpdate() != 1) return false;
        }
        Sql.insertEvent(c, event);
        return true;
    }

    @Override
    public Optional<Transfer> resend(String id, String scopePrefix, Function<Transfer, Resend> decide, Instant now) {
        return Tx.run(db, "sending a transfer again", c -> {
            List<Object> args = new ArrayList<>(List.of(id));
            args.addAll(filing.params());
            args.add(TransferFiling.like(scopePrefix));
            Optional<Transfer> t;
            try (PreparedStatement ps = Sql.bind(c.prepareStatement("SELECT " + COLUMNS.replaceAll("(^|, )", "$1t.")
                    + " FROM transfers t JOIN cases c ON c.id = t.case_id WHERE t.direction = 'OUT' AND t.id = ? AND "
                    + filing.sql() + " LIKE ? FOR UPDATE"), args.toArray());
                 ResultSet rs = ps.executeQuery()) {
                t = rs.next() ? Optional.of(transfer(rs)) : Optional.empty();
            }
            if (t.isEmpty()) return t;
            Resend r = decide.apply(t.get());
            try (PreparedStatement ps = c.prepareStatement("UPDATE transfers SET status = 'SENDING', peer_prefix = ?, "
                    + "next_try_at = ?, sending_since = ?, attempts = 0, claim_token = NULL WHERE direction = 'OUT' AND id = ?")) {
                ps.setString(1, r.peerPrefix());
                ps.setTimestamp(2, Sql.ts(now));
                ps.setTimestamp(3, Sql.ts(now));
                ps.setString(4, id);
                ps.executeUpdate();
            }
            Sql.insertEvent(c, r.event());
            return one(c, "SELECT " + COLUMNS + " FROM transfers WHERE direction = 'OUT' AND id = ?", id);
        });
    }

    @Override
    public List<String> newCasesOutside(String ownPrefix, int limit) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT id FROM cases "
                + "WHERE status = 'NEW' AND jurisdiction NOT LIKE ? ORDER BY deadline_at LIMIT ?")) {
            ps.setString(1, TransferFiling.like(ownPrefix));
            ps.setInt(2, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading cases of other jurisdictions failed", e);
        }
    }

    @Override
    public List<Transfer> dueForEscalation(Instant now, int limit) {
        return query("SELECT " + COLUMNS + " FROM transfers WHERE direction = 'OUT' AND acked_at IS NULL "
                + "AND escalated_at IS NULL AND escalate_at <= ? ORDER BY escalate_at LIMIT " + limit, Sql.ts(now));
    }

    @Override
    public boolean escalate(Transfer t, Instant now, LedgerEvent event) {
        return Tx.run(db, "escalating a transfer", c -> markEscalated(c, t.id(), event));
    }

    @Override
    public Optional<Transfer> acknowledge(String id, String peerCaseId, Instant now, Function<Transfer, LedgerEvent> event) {
        return Tx.run(db, "acknowledging a transfer", c -> {
            Optional<Transfer> t = one(c, "SELECT " + COLUMNS + " FROM transfers WHERE direction = 'OUT' AND id = ? FOR UPDATE", id);
            if (t.isEmpty() || t.get().acknowledged()) return t;
            try (PreparedStatement ps = c.prepareStatement("UPDATE transfers SET status = 'ACKNOWLEDGED', acked_at = ?, "
                    + "peer_case_id = ?, next_try_at = NULL, claim_token = NULL WHERE direction = 'OUT' AND id = ?")) {
                ps.setTimestamp(1, Sql.ts(now));
                ps.setString(2, peerCaseId);
                ps.setString(3, id);
                ps.executeUpdate();
            }
            Sql.insertEvent(c, event.apply(t.get()));
            return one(c, "SELECT " + COLUMNS + " FROM transfers WHERE direction = 'OUT' AND id = ?", id);
        });
    }

    @Override
    public boolean receive(Transfer in, LedgerEvent event) {
        return Tx.run(db, "recording a received transfer", c -> {
            try {
                insert(c, in, in.createdAt());
            } catch (java.sql.SQLIntegrityConstraintViolationException e) {
                // Delivered before (a retry, or the same delivery on another node a moment earlier). The sender sends
                // again only while it has no acknowledgement: one we gave up on is sent again, with a fresh day.
                try (PreparedStatement ps = c.prepareStatement("UPDATE transfers SET status = 'ACK_PENDING', "
                        + "next_try_at = ?, sending_since = ?, attempts = 0 WHERE direction = 'IN' AND id = ? "
                        + "AND case_id = ? AND status = 'ACK_FAILED'")) {
                    ps.setTimestamp(1, Sql.ts(in.createdAt()));
                    ps.setTimestamp(2, Sql.ts(in.createdAt()));
                    ps.setString(3, in.id());
                    ps.setString(4, in.caseId());
                    ps.executeUpdate();
                }
                return false;
            }
            Sql.insertEvent(c, event);
            return true;
        });
    }

    @Override
    public Optional<Transfer> find(Transfer.Direction direction, String id) {
        List<Transfer> found = query("SELECT " + COLUMNS + " FROM transfers WHERE direction = ? AND id = ?",
                direction.name(), id);
        return found.stream().findFirst();
    }

    @Override
    public List<Transfer> list(Filter f) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS.replaceAll("(^|, )", "$1t.")
                + " FROM transfers t JOIN cases c ON c.id = t.case_id WHERE t.direction = ?");
        List<Object> args = new ArrayList<>(List.of(f.direction().name()));
        if (f.escalatedOnly()) sql.append(" AND t.escalated_at IS NOT NULL AND t.acked_at IS NULL");
        if (f.jurisdictionPrefix() != null && !f.jurisdictionPrefix().isEmpty()) {
            sql.append(" AND ").append(filing.sql()).append(" LIKE ?");
            args.addAll(filing.params());
            args.add(TransferFiling.like(f.jurisdictionPrefix()));
        }
        sql.append(" ORDER BY t.created_at DESC LIMIT ").append(Math.max(1, Math.min(f.limit(), 1000)));
        return query(sql.toString(), args.toArray());
    }

    @Override
    public Counts counts() {
        // Escalated counts what the task force list shows: refused and peerless transfers too, not only those
        // still awaiting an acknowledgement (the alert on this gauge is the task force's signal).
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COALESCE(SUM(status IN ('SENDING', 'DELIVERED')), 0), COALESCE(SUM(escalated_at IS NOT NULL), 0) "
                        + "FROM transfers WHERE direction = 'OUT' AND acked_at IS NULL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new Counts(rs.getLong(1), rs.getLong(2));
        } catch (SQLException e) {
            throw new StoreException("counting transfers failed", e);
        }
    }

    private List<Transfer> query(String sql, Object... args) {
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
            List<Transfer> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(transfer(rs));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("reading transfers failed", e);
        }
    }

    private static Optional<Transfer> one(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(transfer(rs)) : Optional.empty();
            }
        }
    }

    private static Transfer transfer(ResultSet rs) throws SQLException {
        return new Transfer(rs.getString("id"), Transfer.Direction.valueOf(rs.getString("direction")),
                rs.getString("case_id"), rs.getString("peer_prefix"), rs.getString("to_jurisdiction"),
                rs.getString("reason"), Transfer.Status.valueOf(rs.getString("status")), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "ack_by"), Sql.instant(rs, "escalate_at"), Sql.instant(rs, "acked_at"),
                Sql.instant(rs, "escalated_at"), rs.getInt("attempts"), rs.getString("last_error"),
                rs.getString("peer_case_id"));
    }

    private static String clip(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 299) + "…";
    }
}
