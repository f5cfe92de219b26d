package org.screening.outreach.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.campaigns.Campaign;
import org.screening.outreach.campaigns.CampaignStatus;
import org.screening.outreach.campaigns.CampaignStore;
import org.screening.outreach.campaigns.RecipientStatus;

/** Campaign rows read and listed (with their kept counts), and their status moves. */
final class JdbcCampaignStatuses {
    private static final int PENDING = RecipientStatus.PENDING.code();
    private static final int SENDING = RecipientStatus.SENDING.code();
    private final Database db;
    /** The deployment's zone: a campaign's quiet hours are read in it when its sending time is banked. */
    private final java.time.ZoneId zone;
    private final JdbcCampaignQueue queue;
    private final JdbcCampaignCounts counts;

    JdbcCampaignStatuses(Database db, java.time.ZoneId zone, JdbcCampaignQueue queue, JdbcCampaignCounts counts) {
        this.db = db;
        this.zone = zone;
        this.queue = queue;
        this.counts = counts;
    }

    Optional<Campaign> find(long campaignId) {
        return Tx.run(db, "reading a campaign", c -> CampaignRows.find(c, campaignId));
    }

    boolean move(long campaignId, CampaignStatus from, CampaignStatus to, Instant now) {
        boolean moved = Tx.run(db, "changing a campaign's status", c -> {
            Optional<Campaign> found;
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM campaigns WHERE id = ? AND status = ? FOR UPDATE")) {
                ps.setLong(1, campaignId);
                ps.setString(2, from.name());
                try (ResultSet rs = ps.executeQuery()) {
                    found = rs.next() ? Optional.of(CampaignRows.campaign(rs)) : Optional.empty();
                }
            }
            if (found.isEmpty()) return false;
            // Sending time (running, past the start, outside quiet hours) is banked when leaving RUNNING and the clock
            // restarts when entering it.
            long active = found.get().sendingTime(now, zone).toMillis();
            boolean running = to == CampaignStatus.RUNNING;
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaigns SET status = ?, active_ms = ?, "
                    + "running_since = ?, finished_at = ? WHERE id = ?")) {
                ps.setString(1, to.name());
                ps.setLong(2, active);
                ps.setString(3, running ? Sql.utc(now) : null);
                ps.setString(4, to.isFinal() ? Sql.utc(now) : null);
                ps.setLong(5, campaignId);
                ps.executeUpdate();
            }
            return true;
        });
        // Once CANCELLED nothing is claimed any more, so its queue is cancelled after the status in short batches: a
        // million rows in the status change's transaction held the campaign row (and every claim) for a minute. A
        // node stopping half way leaves the rest to the lease job (cancelQueue).
        if (moved && to == CampaignStatus.CANCELLED) queue.cancelQueue(campaignId);
        // After the queue's cancel, so the list shows at once how the campaign ended, not its last running figures.
        if (moved && to.isFinal()) counts.recount(campaignId, now);
        return moved;
    }

    List<CampaignStore.Listed> list(String jurisdictionPrefix, long beforeId, int limit) {
        return Tx.run(db, "listing campaigns", c -> {
            List<CampaignStore.Listed> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM campaigns WHERE jurisdiction_prefix LIKE ? "
                    + "AND id < ? ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, jurisdictionPrefix + "%"); // digits only: no LIKE wildcards inside
                ps.setLong(2, beforeId);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(new CampaignStore.Listed(CampaignRows.campaign(rs), JdbcCampaignCounts.kept(rs)));
                }
            }
            return out;
        });
    }

    List<Campaign> running() {
        return Tx.run(db, "listing running campaigns", c -> {
            List<Campaign> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM campaigns WHERE status = ? ORDER BY id")) {
                ps.setString(1, CampaignStatus.RUNNING.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(CampaignRows.campaign(rs));
                }
            }
            return out;
        });
    }

    boolean completeIfDone(long campaignId, Instant now) {
        Optional<Campaign> found = find(campaignId);
        if (found.isEmpty() || found.get().status() != CampaignStatus.RUNNING) return false;
        boolean left = Tx.run(db, "checking a campaign for work left", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM campaign_recipients "
                    + "WHERE campaign_id = ? AND status IN (?, ?) LIMIT 1")) {
                ps.setLong(1, campaignId);
                ps.setInt(2, PENDING);
                ps.setInt(3, SENDING);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
        return !left && move(campaignId, CampaignStatus.RUNNING, CampaignStatus.COMPLETED, now);
    }
}
