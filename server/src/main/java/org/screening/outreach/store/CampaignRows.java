package org.screening.outreach.store;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.campaigns.Campaign;
import org.screening.outreach.campaigns.CampaignStatus;

/** What the campaign store classes share: the campaign row as a record, and its status read under lock. */
final class CampaignRows {
    private CampaignRows() {}

    /**
     * The campaign's status under a shared lock on its row, held to the end of the transaction: {@link JdbcCampaignStatuses#move} locks
     * the row for update first, so a claim or reap under way finishes before a pause or cancel, and one that starts
     * during the move waits for it and then sees the new status. Null for no such campaign.
     */
    static CampaignStatus lockedStatus(Connection c, long campaignId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM campaigns WHERE id = ? LOCK IN SHARE MODE")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? CampaignStatus.valueOf(rs.getString(1)) : null;
            }
        }
    }

    static Optional<Campaign> find(Connection c, long campaignId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM campaigns WHERE id = ?")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(campaign(rs)) : Optional.empty();
            }
        }
    }

    static Campaign campaign(ResultSet rs) throws SQLException {
        Map<String, String> vars = new LinkedHashMap<>();
        new JsonObject(rs.getString("variables")).forEach(e -> vars.put(e.getKey(), String.valueOf(e.getValue())));
        return new Campaign(rs.getLong("id"), rs.getString("name"), rs.getString("template"), rs.getString("lang"),
                vars, rs.getString("body"), rs.getString("jurisdiction_prefix"), rs.getString("created_by"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "start_at"), rs.getString("quiet_hours"),
                CampaignStatus.valueOf(rs.getString("status")), rs.getInt("total_rows"), rs.getInt("invalid_rows"),
                rs.getInt("duplicate_rows"), rs.getLong("active_ms"), Sql.instant(rs, "running_since"),
                Sql.instant(rs, "finished_at"));
    }
}
