package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.ledger.CaseCounts;

/** SQL behind {@link CaseCounts}: the count over the cases' status index, kept in case_status_counts. */
public final class JdbcCaseCounts implements CaseCounts {
    /** Parameters, not VALUES(): MySQL 8 deprecates VALUES() in ON DUPLICATE KEY UPDATE (see JdbcJobLeases). */
    private static final String SAVE = "INSERT INTO case_status_counts (status, cases, counted_at) VALUES (?, ?, ?) "
            + "ON DUPLICATE KEY UPDATE cases = ?, counted_at = ?";
    private final Database db;

    public JdbcCaseCounts(Database db) {
        this.db = db;
    }

    @Override
    public Map<CaseStatus, Long> countNow() {
        Map<CaseStatus, Long> out = zeros();
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM cases GROUP BY status");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(CaseStatus.valueOf(rs.getString(1)), rs.getLong(2));
            return out;
        } catch (SQLException e) {
            throw new StoreException("counting cases failed", e);
        }
    }

    /** Every status in one transaction: a reader never sees half of one count and half of the one before. */
    @Override
    public void save(Counted counted) {
        Tx.run(db, "keeping the case counts", c -> {
            try (PreparedStatement ps = c.prepareStatement(SAVE)) {
                for (CaseStatus s : CaseStatus.values()) {
                    long n = counted.byStatus().getOrDefault(s, 0L);
                    ps.setString(1, s.name());
                    ps.setLong(2, n);
                    ps.setTimestamp(3, Sql.ts(counted.at()));
                    ps.setLong(4, n);
                    ps.setTimestamp(5, Sql.ts(counted.at()));
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
    }

    /** A status without a row (one added since the last count) reads as zero; the oldest row's time is the count's. */
    @Override
    public Optional<Counted> latest() {
        Map<CaseStatus, Long> byStatus = zeros();
        Instant at = null;
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT status, cases, counted_at FROM case_status_counts");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Instant rowAt = Sql.instant(rs, "counted_at");
                if (at == null || rowAt.isBefore(at)) at = rowAt;
                byStatus.put(CaseStatus.valueOf(rs.getString("status")), rs.getLong("cases"));
            }
        } catch (SQLException e) {
            throw new StoreException("reading the case counts failed", e);
        }
        return at == null ? Optional.empty() : Optional.of(new Counted(byStatus, at));
    }

    private static Map<CaseStatus, Long> zeros() {
        Map<CaseStatus, Long> out = new EnumMap<>(CaseStatus.class);
        for (CaseStatus s : CaseStatus.values()) out.put(s, 0L);
        return out;
    }
}
