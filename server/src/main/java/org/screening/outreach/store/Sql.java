package org.screening.outreach.store;

import io.vertx.core.json.JsonObject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;

/** Column mapping shared by the repositories. All DATETIME columns hold UTC. */
final class Sql {
    static final String CASE_COLUMNS = "id, source, external_id, name, phone, sms_capable, id_number, category, "
            + "jurisdiction, pushed_at, received_at, deadline_at, status";

    private Sql() {}

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.valueOf(LocalDateTime.ofInstant(i, ZoneOffset.UTC));
    }

    static Instant instant(ResultSet rs, String col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    static RiskCase riskCase(ResultSet rs) throws SQLException {
        return new RiskCase(rs.getString("id"), rs.getString("source"), rs.getString("external_id"),
                rs.getString("name"), rs.getString("phone"), rs.getBoolean("sms_capable"), rs.getString("id_number"),
                Category.valueOf(rs.getString("category")), rs.getString("jurisdiction"), instant(rs, "pushed_at"),
                instant(rs, "received_at"), instant(rs, "deadline_at"), CaseStatus.valueOf(rs.getString("status")));
    }

    static String openKey(RiskCase c) {
        return c.status().isOpen() ? c.phone() + "|" + c.jurisdiction() : null;
    }

    static void bindEvent(PreparedStatement ps, LedgerEvent e) throws SQLException {
        ps.setString(1, e.caseId());
        ps.setString(2, e.type());
        ps.setTimestamp(3, ts(e.at()));
        ps.setString(4, e.actor());
        ps.setString(5, new JsonObject(Map.copyOf(e.data())).encode());
    }

    static final String INSERT_EVENT = "INSERT INTO ledger_events (case_id, type, at, actor, data) VALUES (?, ?, ?, ?, ?)";

    /** Writes a status change and its event on the caller's transaction; false if the case moved meanwhile. */
    static boolean applyStatusChange(java.sql.Connection c, RiskCase.StatusChange change) throws SQLException {
        RiskCase after = change.after();
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE cases SET status = ?, open_key = ? WHERE id = ? AND status = ?")) {
            up.setString(1, after.status().name());
            up.setString(2, openKey(after));
            up.setString(3, after.id());
            up.setString(4, String.valueOf(change.event().data().get("from")));
            if (up.executeUpdate() != 1) return false;
        }
        insertEvent(c, change.event());
        return true;
    }

    static void insertEvent(java.sql.Connection c, LedgerEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            bindEvent(ps, e);
            ps.executeUpdate();
        }
    }

    static LedgerEvent event(ResultSet rs) throws SQLException {
        return new LedgerEvent(rs.getString("case_id"), rs.getString("type"), instant(rs, "at"), rs.getString("actor"),
                new JsonObject(rs.getString("data")).getMap());
    }
}
