package org.screening.outreach.store;

import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.screening.outreach.campaigns.CampaignStatus;
import org.screening.outreach.campaigns.InvalidRow;
import org.screening.outreach.campaigns.NewCampaign;
import org.screening.outreach.campaigns.RecipientStatus;

/**
 * A campaign's making: its row, its recipients as multi-row INSERT IGNORE (the unique key on campaign + phone drops
 * repeats, and the affected-row count says how many were new), its invalid rows, the end of the import, and the
 * removal of an import that stopped mid-file.
 */
final class JdbcCampaignImports {
    private static final int PENDING = RecipientStatus.PENDING.code();
    private final Database db;

    JdbcCampaignImports(Database db) {
        this.db = db;
    }

    long create(NewCampaign n, Instant now) {
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

    int addRecipients(long campaignId, List<String> phones) {
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

    void addInvalidRows(long campaignId, List<InvalidRow> rows) {
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

    int finishImport(long campaignId, int totalRows, int invalidRows, int duplicateRows, Instant now) {
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

    void importSeen(long campaignId, Instant now) {
        Tx.run(db, "noting a campaign import", c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE campaigns SET import_seen_at = ? WHERE id = ? AND status = ?")) {
                ps.setString(1, Sql.utc(now));
                ps.setLong(2, campaignId);
                ps.setString(3, CampaignStatus.IMPORTING.name());
                return ps.executeUpdate();
            }
        });
    }

    List<Long> abandonedImports(Instant before) {
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

    void delete(long campaignId) {
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

    List<InvalidRow> invalidRows(long campaignId, int afterRow, int limit) {
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
}
