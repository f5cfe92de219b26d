package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.screening.outreach.campaigns.CampaignStatus;
import org.screening.outreach.campaigns.CampaignStore;
import org.screening.outreach.campaigns.CampaignStore.Advance;
import org.screening.outreach.campaigns.Recipient;
import org.screening.outreach.campaigns.RecipientStatus;

/**
 * The send queue of campaigns: claims under a lease, provider statuses applied as forward moves on the ordered status
 * code (callbacks arrive late, twice, out of order), requeues, expired leases and a cancelled campaign's queue.
 */
final class JdbcCampaignQueue {
    private static final int PENDING = RecipientStatus.PENDING.code();
    private static final int SENDING = RecipientStatus.SENDING.code();
    private final Database db;

    JdbcCampaignQueue(Database db) {
        this.db = db;
    }

    private static final int CANCEL_BATCH = 10_000;

    long cancelQueue(long campaignId) {
        long n = 0;
        int batch;
        do {
            batch = Tx.run(db, "cancelling a campaign's queue", c -> {
                if (CampaignRows.lockedStatus(c, campaignId) != CampaignStatus.CANCELLED) return 0;
                try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_recipients SET status = ? "
                        + "WHERE campaign_id = ? AND status = ? LIMIT " + CANCEL_BATCH)) {
                    ps.setInt(1, RecipientStatus.CANCELLED.code());
                    ps.setLong(2, campaignId);
                    ps.setInt(3, PENDING);
                    return ps.executeUpdate();
                }
            });
            n += batch;
        } while (batch == CANCEL_BATCH);
        return n;
    }

    List<Recipient> claim(long campaignId, long afterId, int limit, Instant leaseUntil) {
        if (limit <= 0) return List.of();
        return Tx.run(db, "claiming campaign recipients", c -> {
            if (CampaignRows.lockedStatus(c, campaignId) != CampaignStatus.RUNNING) return List.<Recipient>of();
            Map<String, Long> byPhone = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, phone FROM campaign_recipients "
                    + "WHERE campaign_id = ? AND status = ? AND id > ? ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED")) {
                ps.setLong(1, campaignId);
                ps.setInt(2, PENDING);
                ps.setLong(3, afterId);
                ps.setInt(4, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) byPhone.put(rs.getString(2), rs.getLong(1));
                }
            }
            if (byPhone.isEmpty()) return List.<Recipient>of();
            // A number that opted out after the import (STOP to an earlier message) gets nothing more.
            List<Long> optedOut = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT phone FROM sms_opt_outs WHERE phone IN ("
                    + "?,".repeat(byPhone.size() - 1) + "?)")) {
                int p = 1;
                for (String phone : byPhone.keySet()) ps.setString(p++, phone);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) optedOut.add(byPhone.remove(rs.getString(1)));
                }
            }
            setStatus(c, optedOut, RecipientStatus.OPTED_OUT.code(), null);
            setStatus(c, byPhone.values(), SENDING, leaseUntil);
            List<Recipient> claimed = new ArrayList<>(byPhone.size());
            byPhone.forEach((phone, id) -> claimed.add(new Recipient(id, phone)));
            return claimed;
        });
    }

    private static void setStatus(Connection c, java.util.Collection<Long> ids, int status, Instant leaseUntil)
            throws SQLException {
        if (ids.isEmpty()) return;
        StringJoiner in = new StringJoiner(",", "(", ")");
        ids.forEach(id -> in.add(Long.toString(id)));
        try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_recipients SET status = ?, lease_until = ? WHERE id IN " + in)) {
            ps.setInt(1, status);
            ps.setString(2, Sql.utc(leaseUntil));
            ps.executeUpdate();
        }
    }

    boolean advance(long recipientId, RecipientStatus to, String providerRef, String errorCode) {
        return Tx.run(db, "updating a campaign recipient", c -> {
            try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
                bindAdvance(ps, recipientId, to, providerRef, errorCode);
                return ps.executeUpdate() == 1;
            }
        });
    }

    void requeue(List<Long> recipientIds) {
        if (recipientIds.isEmpty()) return;
        StringJoiner ids = new StringJoiner(",", "(", ")");
        recipientIds.forEach(id -> ids.add(Long.toString(id)));
        Tx.run(db, "returning campaign recipients to the queue", c -> {
            // A campaign cancelled meanwhile cancels them; one cancelled after this is cancelled by its queue's cancel.
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_recipients r JOIN campaigns k ON k.id = "
                    + "r.campaign_id SET r.status = IF(k.status = ?, ?, ?), r.lease_until = NULL WHERE r.id IN " + ids
                    + " AND r.status = ?")) {
                ps.setString(1, CampaignStatus.CANCELLED.name());
                ps.setInt(2, RecipientStatus.CANCELLED.code());
                ps.setInt(3, PENDING);
                ps.setInt(4, SENDING);
                return ps.executeUpdate();
            }
        });
    }

    void advanceAll(List<Advance> advances) {
        if (advances.isEmpty()) return;
        // One UPDATE per target status (a sender's batch is nearly all QUEUED): the server parses and runs one
        // statement for a thousand rows instead of a thousand statements. Forward moves only, as in advance():
        // the sender reports no delivery receipts, so it never replaces a FAILED.
        Map<RecipientStatus, List<Advance>> byStatus = new EnumMap<>(RecipientStatus.class);
        for (Advance a : advances) byStatus.computeIfAbsent(a.to(), k -> new ArrayList<>()).add(a);
        Tx.run(db, "updating campaign recipients", c -> {
            for (var e : byStatus.entrySet()) advanceGroup(c, e.getKey(), e.getValue());
            return null;
        });
    }

    private static void advanceGroup(Connection c, RecipientStatus to, List<Advance> group) throws SQLException {
        StringBuilder refs = new StringBuilder();
        StringBuilder errors = new StringBuilder();
        StringJoiner ids = new StringJoiner(",", "(", ")");
        List<String> params = new ArrayList<>();
        for (Advance a : group) {
            ids.add(Long.toString(a.recipientId()));
            if (a.providerRef() != null) refs.append(" WHEN ").append(a.recipientId()).append(" THEN ?");
        }
        for (Advance a : group) if (a.providerRef() != null) params.add(a.providerRef());
        for (Advance a : group) {
            if (a.errorCode() != null) {
                errors.append(" WHEN ").append(a.recipientId()).append(" THEN ?");
                params.add(a.errorCode());
            }
        }
        String sql = "UPDATE campaign_recipients SET status = " + to.code() + ", lease_until = NULL"
                + (refs.isEmpty() ? "" : ", provider_ref = CASE id" + refs + " ELSE provider_ref END")
                + (errors.isEmpty() ? "" : ", error_code = CASE id" + errors + " ELSE error_code END")
                + " WHERE id IN " + ids + " AND status < " + to.code() + " AND status < " + RecipientStatus.FIRST_FINAL;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) ps.setString(i + 1, params.get(i));
            ps.executeUpdate();
        }
    }

    // A delivery receipt also replaces a FAILED or CANCELLED that was our own "may have gone" (Twilio's answer lost,
    // or the lease of a cancelled campaign's text ran out): the text did go. So does Twilio's own failure report with
    // its error code (30003 …): the text reached Twilio and failed there, a better word than ours. A failure Twilio
    // reported stays final.
    private static final String ADVANCE = "UPDATE campaign_recipients SET status = ?, lease_until = NULL, "
            + "provider_ref = COALESCE(?, provider_ref), error_code = IF(? = " + RecipientStatus.DELIVERED.code()
            + ", NULL, COALESCE(?, error_code)) WHERE id = ? AND (status < ? AND status < ? OR status IN ("
            + RecipientStatus.FAILED.code() + ", " + RecipientStatus.CANCELLED.code() + ") AND error_code = '"
            + CampaignStore.MAYBE_SENT + "' AND (? = " + RecipientStatus.DELIVERED.code() + " OR ? = "
            + RecipientStatus.FAILED.code() + " AND ? IS NOT NULL))";

    private static void bindAdvance(PreparedStatement ps, long id, RecipientStatus to, String ref, String error)
            throws SQLException {
        ps.setInt(1, to.code());
        ps.setString(2, ref);
        ps.setInt(3, to.code());
        ps.setString(4, error);
        ps.setLong(5, id);
        ps.setInt(6, to.code());
        ps.setInt(7, RecipientStatus.FIRST_FINAL);
        ps.setInt(8, to.code());
        ps.setInt(9, to.code());
        ps.setString(10, error);
    }

    List<Long> withExpiredLeases(Instant now) {
        return Tx.run(db, "finding expired campaign leases", c -> {
            List<Long> out = new ArrayList<>();
            // Per campaign an index probe of its few SENDING rows; a finished campaign has none.
            // A cancelled one also while its queue is not all cancelled yet (the node cancelling it stopped).
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM campaigns c WHERE status IN (?, ?, ?) "
                    + "AND (EXISTS (SELECT 1 FROM campaign_recipients r WHERE r.campaign_id = c.id AND r.status = ? "
                    + "AND r.lease_until < ?) OR c.status = ? AND EXISTS (SELECT 1 FROM campaign_recipients r "
                    + "WHERE r.campaign_id = c.id AND r.status = ?)) ORDER BY id")) {
                ps.setString(1, CampaignStatus.RUNNING.name());
                ps.setString(2, CampaignStatus.PAUSED.name());
                ps.setString(3, CampaignStatus.CANCELLED.name());
                ps.setInt(4, SENDING);
                ps.setString(5, Sql.utc(now));
                ps.setString(6, CampaignStatus.CANCELLED.name());
                ps.setInt(7, PENDING);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    int reapExpiredLeases(long campaignId, Instant now) {
        return Tx.run(db, "ending expired campaign leases", c -> {
            CampaignStatus campaign = CampaignRows.lockedStatus(c, campaignId);
            if (campaign == null || campaign == CampaignStatus.IMPORTING || campaign == CampaignStatus.COMPLETED) return 0;
            boolean cancelled = campaign == CampaignStatus.CANCELLED;
            // A cancelled campaign's text may have gone before its node stopped: a late receipt can still say so.
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_recipients SET status = ?, lease_until = NULL, "
                    + "error_code = ? WHERE campaign_id = ? AND status = ? AND lease_until < ?")) {
                ps.setInt(1, cancelled ? RecipientStatus.CANCELLED.code() : PENDING);
                ps.setString(2, cancelled ? CampaignStore.MAYBE_SENT : null);
                ps.setLong(3, campaignId);
                ps.setInt(4, SENDING);
                ps.setString(5, Sql.utc(now));
                return ps.executeUpdate();
            }
        });
    }
}
