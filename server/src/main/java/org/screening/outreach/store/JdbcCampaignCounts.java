package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.campaigns.Campaign;
import org.screening.outreach.campaigns.CampaignStatus;
import org.screening.outreach.campaigns.RecipientCounts;
import org.screening.outreach.campaigns.RecipientStatus;

/**
 * Campaign recipients counted: live for a campaign's own view, and kept on the campaign row (one {@code n_<status>}
 * column per status, see V34) for the list, which then reads no recipient at all.
 */
final class JdbcCampaignCounts {
    /**
     * One conditional UPDATE: figures counted earlier than those kept, or over a campaign's last ones, change nothing,
     * so two nodes keeping counts at once leave the newer whole. Last figures replace any others: those were counted
     * before the campaign ended.
     */
    private static final String KEEP;

    static {
        StringBuilder sql = new StringBuilder("UPDATE campaigns SET ");
        for (RecipientStatus s : RecipientStatus.values()) sql.append(column(s)).append(" = ?, ");
        KEEP = sql.append("counted_at = ?, counts_last = ? WHERE id = ? AND NOT counts_last ")
                .append("AND (counted_at IS NULL OR counted_at <= ? OR ?)").toString();
    }

    private final Database db;

    JdbcCampaignCounts(Database db) {
        this.db = db;
    }

    Map<RecipientStatus, Long> counts(long campaignId) {
        return Tx.run(db, "counting campaign recipients", c -> {
            Map<RecipientStatus, Long> counts = new EnumMap<>(RecipientStatus.class);
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT status, COUNT(*) FROM campaign_recipients WHERE campaign_id = ? GROUP BY status")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        long n = rs.getLong(2);
                        RecipientStatus.of(rs.getInt(1)).ifPresent(s -> counts.put(s, n));
                    }
                }
            }
            return counts;
        });
    }

    /** The campaign is read before the count, so figures called last were counted after it ended. */
    boolean recount(long campaignId, Instant at) {
        Optional<Campaign> campaign = Tx.run(db, "reading a campaign", c -> CampaignRows.find(c, campaignId));
        if (campaign.isEmpty()) return false;
        RecipientCounts counted = new RecipientCounts(counts(campaignId), at);
        boolean last = counted.lastFor(campaign.get());
        return Tx.run(db, "keeping a campaign's counts", c -> {
            try (PreparedStatement ps = c.prepareStatement(KEEP)) {
                int p = 1;
                for (RecipientStatus s : RecipientStatus.values()) ps.setLong(p++, counted.byStatus().getOrDefault(s, 0L));
                ps.setString(p++, Sql.utc(at));
                ps.setBoolean(p++, last);
                ps.setLong(p++, campaignId);
                ps.setString(p++, Sql.utc(at));
                ps.setBoolean(p, last);
                return ps.executeUpdate() == 1;
            }
        });
    }

    List<Long> countsDue() {
        return Tx.run(db, "finding campaigns to count", c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM campaigns WHERE status IN (?, ?) "
                    + "OR status IN (?, ?) AND NOT counts_last ORDER BY id")) {
                ps.setString(1, CampaignStatus.RUNNING.name());
                ps.setString(2, CampaignStatus.PAUSED.name());
                ps.setString(3, CampaignStatus.COMPLETED.name());
                ps.setString(4, CampaignStatus.CANCELLED.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    /** The counts kept on a campaign row read with {@code SELECT *}; {@link RecipientCounts#NONE} before the first. */
    static RecipientCounts kept(ResultSet rs) throws SQLException {
        Instant at = Sql.instant(rs, "counted_at");
        if (at == null) return RecipientCounts.NONE;
        Map<RecipientStatus, Long> byStatus = new EnumMap<>(RecipientStatus.class);
        for (RecipientStatus s : RecipientStatus.values()) {
            long n = rs.getLong(column(s));
            if (n > 0) byStatus.put(s, n); // as counts(): a status without recipients is absent
        }
        return new RecipientCounts(byStatus, at);
    }

    private static String column(RecipientStatus s) {
        return "n_" + s.name().toLowerCase(Locale.ROOT);
    }
}
