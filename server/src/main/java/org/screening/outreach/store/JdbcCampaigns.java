package org.screening.outreach.store;

import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import org.screening.outreach.campaigns.Campaign;
import org.screening.outreach.campaigns.CampaignStatus;
import org.screening.outreach.campaigns.CampaignStore;
import org.screening.outreach.campaigns.InvalidRow;
import org.screening.outreach.campaigns.NewCampaign;
import org.screening.outreach.campaigns.Recipient;
import org.screening.outreach.campaigns.RecipientStatus;

/**
 * SQL behind {@link CampaignStore}. Recipients go in as multi-row INSERT IGNORE (the unique key on campaign + phone
 * drops repeats, and the affected-row count says how many were new); times as UTC text ({@link Sql#utc}). Status
 * changes of a recipient are conditional updates on the ordered status code, so callbacks only move it forward.
 */
public final class JdbcCampaigns implements CampaignStore {
    private static final int PENDING = RecipientStatus.PENDING.code();
    private static final int SENDING = RecipientStatus.SENDING.code();
    private final Database db;
    /** The deployment's zone: a campaign's quiet hours are read in it when its sending time is banked. */
    private final java.time.ZoneId zone;

    /** In the default zone, Asia/Shanghai. */
    public JdbcCampaigns(Database db) {
        this(db, org.screening.outreach.domain.QuietHours.defaults().zone());
    }

    public JdbcCampaigns(Database db, java.time.ZoneId zone) {
        this.db = db;
        this.zone = zone;
    }

    @Override
    public long create(NewCampaign n, Instant now) {
        return Tx.run(db, "creating a campaign", c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO campaigns (name, template, lang, variables, body, "
                    + "jurisdiction_prefix, created_by, created_at, start_at, quiet_hours, status, import_seen_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, n.name());
                ps.setString(2, n.template());
                ps.setString(3, n.lang());
                ps.setString(4, new JsonObject(new LinkedHashMap<>(n.variables())).encode());
                ps.setString(5, n.body());
                ps.setString(6, n.jurisdictionPrefix());
                ps.setString(7, n.createdBy());
                ps.setString(8, Sql.utc(now));
                ps.setString(9, Sql.utc(n.startAt()));
                ps.setString(10, n.quietHours());
                ps.setString(11, CampaignStatus.IMPORTING.name());
                ps.setString(12, Sql.utc(now));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    @Override
    public int addRecipients(long campaignId, List<String> phones) {
        if (phones.isEmpty()) return 0;
        return Tx.run(db, "adding campaign recipients", c -> {
            StringBuilder sql = new StringBuilder("INSERT IGNORE INTO campaign_recipients (campaign_id, phone, status) VALUES ");
            for (int i = 0; i < phones.size(); i++) sql.append(i == 0 ? "" : ",").append("(?,?,").append(PENDING).append(')');
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int p = 1;
                for (String phone : phones) {
                    ps.setLong(p++, campaignId);
                    ps.setString(p++, phone);
                }
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public void addInvalidRows(long campaignId, List<InvalidRow> rows) {
        if (rows.isEmpty()) return;
        Tx.run(db, "recording invalid campaign rows", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT IGNORE INTO campaign_invalid_rows (campaign_id, row_no, value, problem) VALUES (?, ?, ?, ?)")) {
                for (InvalidRow r : rows) {
                    ps.setLong(1, campaignId);
                    ps.setInt(2, r.row());
                    ps.setString(3, r.value());
                    ps.setString(4, r.problem().length() > 120 ? r.problem().substring(0, 120) : r.problem());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return null;
        });
    }

    @Override
    public int finishImport(long campaignId, int totalRows, int invalidRows, int duplicateRows, Instant now) {
        return Tx.run(db, "finishing a campaign import", c -> {
            int optedOut;
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaign_recipients r JOIN sms_opt_outs o ON o.phone = r.phone "
                    + "SET r.status = ? WHERE r.campaign_id = ? AND r.status = ?")) {
                ps.setInt(1, RecipientStatus.OPTED_OUT.code());
                ps.setLong(2, campaignId);
                ps.setInt(3, PENDING);
                optedOut = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaigns SET total_rows = ?, invalid_rows = ?, "
                    + "duplicate_rows = ?, status = ?, running_since = ? WHERE id = ? AND status = ?")) {
                ps.setInt(1, totalRows);
                ps.setInt(2, invalidRows);
                ps.setInt(3, duplicateRows);
                ps.setString(4, CampaignStatus.RUNNING.name());
                ps.setString(5, Sql.utc(now));
                ps.setLong(6, campaignId);
                ps.setString(7, CampaignStatus.IMPORTING.name());
                ps.executeUpdate();
            }
            return optedOut;
        });
    }

    @Override
    public void importSeen(long campaignId, Instant now) {
        Tx.run(db, "noting a campaign import", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaigns SET import_seen_at = ? WHERE id = ? AND status = ?")) {
                ps.setString(1, Sql.utc(now));
                ps.setLong(2, campaignId);
                ps.setString(3, CampaignStatus.IMPORTING.name());
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public List<Long> abandonedImports(Instant before) {
        return Tx.run(db, "finding abandoned campaign imports", c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM campaigns WHERE status = ? "
                    + "AND (import_seen_at IS NULL OR import_seen_at < ?) LIMIT 100")) {
                ps.setString(1, CampaignStatus.IMPORTING.name());
                ps.setString(2, Sql.utc(before));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    @Override
    public void delete(long campaignId) {
        Tx.run(db, "deleting a campaign", c -> {
            for (String table : new String[] {"campaign_recipients", "campaign_invalid_rows"}) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE campaign_id = ?")) {
                    ps.setLong(1, campaignId);
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM campaigns WHERE id = ?")) {
                ps.setLong(1, campaignId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<Campaign> find(long campaignId) {
        return Tx.run(db, "reading a campaign", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM campaigns WHERE id = ?")) {
                ps.setLong(1, campaignId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(campaign(rs)) : Optional.<Campaign>empty();
                }
            }
        });
    }

    @Override
    public Map<RecipientStatus, Long> counts(long campaignId) {
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

    @Override
    public List<InvalidRow> invalidRows(long campaignId, int afterRow, int limit) {
        return Tx.run(db, "reading invalid campaign rows", c -> {
            List<InvalidRow> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT row_no, value, problem FROM campaign_invalid_rows "
                    + "WHERE campaign_id = ? AND row_no > ? ORDER BY row_no LIMIT ?")) {
                ps.setLong(1, campaignId);
                ps.setInt(2, afterRow);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) rows.add(new InvalidRow(rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
            return rows;
        });
    }

    @Override
    public boolean move(long campaignId, CampaignStatus from, CampaignStatus to, Instant now) {
        boolean moved = Tx.run(db, "changing a campaign's status", c -> {
            Optional<Campaign> found;
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM campaigns WHERE id = ? AND status = ? FOR UPDATE")) {
                ps.setLong(1, campaignId);
                ps.setString(2, from.name());
                try (ResultSet rs = ps.executeQuery()) {
                    found = rs.next() ? Optional.of(campaign(rs)) : Optional.empty();
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
        if (moved && to == CampaignStatus.CANCELLED) cancelQueue(campaignId);
        return moved;
    }

    private static final int CANCEL_BATCH = 10_000;

    @Override
    public long cancelQueue(long campaignId) {
        long n = 0;
        int batch;
        do {
            batch = Tx.run(db, "cancelling a campaign's queue", c -> {
                if (lockedStatus(c, campaignId) != CampaignStatus.CANCELLED) return 0;
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

    @Override
    public List<Campaign> list(String jurisdictionPrefix, long beforeId, int limit) {
        return Tx.run(db, "listing campaigns", c -> {
            List<Campaign> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM campaigns WHERE jurisdiction_prefix LIKE ? "
                    + "AND id < ? ORDER BY id DESC LIMIT ?")) {
                ps.setString(1, jurisdictionPrefix + "%"); // digits only: no LIKE wildcards inside
                ps.setLong(2, beforeId);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(campaign(rs));
                }
            }
            return out;
        });
    }

    @Override
    public List<Campaign> running() {
        return Tx.run(db, "listing running campaigns", c -> {
            List<Campaign> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM campaigns WHERE status = ? ORDER BY id")) {
                ps.setString(1, CampaignStatus.RUNNING.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) out.add(campaign(rs));
                }
            }
            return out;
        });
    }

    @Override
    public List<Recipient> claim(long campaignId, long afterId, int limit, Instant leaseUntil) {
        if (limit <= 0) return List.of();
        return Tx.run(db, "claiming campaign recipients", c -> {
            if (lockedStatus(c, campaignId) != CampaignStatus.RUNNING) return List.<Recipient>of();
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

    /**
     * The campaign's status under a shared lock on its row, held to the end of the transaction: {@link #move} locks
     * the row for update first, so a claim or reap under way finishes before a pause or cancel, and one that starts
     * during the move waits for it and then sees the new status. Null for no such campaign.
     */
    private static CampaignStatus lockedStatus(Connection c, long campaignId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT status FROM campaigns WHERE id = ? LOCK IN SHARE MODE")) {
            ps.setLong(1, campaignId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? CampaignStatus.valueOf(rs.getString(1)) : null;
            }
        }
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

    @Override
    public boolean advance(long recipientId, RecipientStatus to, String providerRef, String errorCode) {
        return Tx.run(db, "updating a campaign recipient", c -> {
            try (PreparedStatement ps = c.prepareStatement(ADVANCE)) {
                bindAdvance(ps, recipientId, to, providerRef, errorCode);
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public void requeue(List<Long> recipientIds) {
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

    @Override
    public void advanceAll(List<Advance> advances) {
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

    @Override
    public List<Long> withExpiredLeases(Instant now) {
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

    @Override
    public int reapExpiredLeases(long campaignId, Instant now) {
        return Tx.run(db, "ending expired campaign leases", c -> {
            CampaignStatus campaign = lockedStatus(c, campaignId);
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

    @Override
    public boolean completeIfDone(long campaignId, Instant now) {
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

    private static Campaign campaign(ResultSet rs) throws SQLException {
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
