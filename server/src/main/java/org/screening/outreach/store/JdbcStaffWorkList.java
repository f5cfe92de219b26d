package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.web.console.WorkList;

/** SQL behind the staff console's {@link WorkList}. */
public final class JdbcStaffWorkList implements WorkList {
    private static final String CASE_COLUMNS = "c.id, c.source, c.external_id, c.name, c.phone, c.sms_capable, "
            + "c.id_number, c.id_number_enc, c.category, c.jurisdiction, c.pushed_at, c.received_at, c.deadline_at, c.status, c.language";
    // The newest active task of each case (a case has at most one in practice; MAX keeps the join one row per case).
    private static final String TASK_JOIN = " LEFT JOIN door_knock_tasks t ON t.id = (SELECT MAX(x.id) FROM "
            + "door_knock_tasks x WHERE x.case_id = c.id AND x.status IN ('OPEN', 'ASSIGNED'))";
    private final Database db;

    public JdbcStaffWorkList(Database db) {
        this.db = db;
    }

    @Override
    public Page find(Query q) {
        Set<CaseStatus> statuses = q.section().statuses();
        if (q.status() != null) statuses = statuses.contains(q.status()) ? Set.of(q.status()) : Set.of();
        if (statuses.isEmpty()) return new Page(List.of(), false);
        StringBuilder sql = new StringBuilder("SELECT " + CASE_COLUMNS + ", t.id AS t_id, t.created_at AS t_created_at, "
                + "t.due_at AS t_due_at, t.status AS t_status, t.reason AS t_reason, t.assignee AS t_assignee "
                + "FROM cases c" + TASK_JOIN + " WHERE c.jurisdiction LIKE ? AND c.status IN (" + in(statuses) + ")");
        List<Object> args = new ArrayList<>();
        args.add(q.jurisdictionPrefix() + "%");
        if (q.category() != null) {
            sql.append(" AND c.category = ?");
            args.add(q.category().name());
        }
        if (q.section().byDeadline()) {
            sql.append(" AND c.deadline_at < ?");
            args.add(Sql.ts(q.dueBefore()));
        }
        sql.append(" ORDER BY c.deadline_at, c.id LIMIT ? OFFSET ?");
        args.add(q.limit() + 1);
        args.add(q.offset());
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) ps.setObject(i + 1, args.get(i));
            List<RiskCase> cases = new ArrayList<>();
            List<DoorKnockTask> tasks = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cases.add(Sql.riskCase(rs, db.idNumbers()));
                    tasks.add(task(rs));
                }
            }
            boolean more = cases.size() > q.limit();
            if (more) cases.remove(cases.size() - 1);
            Map<String, List<LedgerEvent>> reports = selfReports(c, cases);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                rows.add(new Row(cases.get(i), tasks.get(i), reports.getOrDefault(cases.get(i).id(), List.of())));
            }
            return new Page(rows, more);
        } catch (SQLException e) {
            throw new StoreException("reading the work list failed", e);
        }
    }

    /** The self-reports of the page's cases in one query (by the case index), oldest first per case. */
    private static Map<String, List<LedgerEvent>> selfReports(Connection c, List<RiskCase> cases) throws SQLException {
        Map<String, List<LedgerEvent>> out = new HashMap<>();
        if (cases.isEmpty()) return out;
        String marks = cases.stream().map(x -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement ps = c.prepareStatement("SELECT case_id, type, at, actor, data FROM ledger_events "
                + "WHERE case_id IN (" + marks + ") AND type = ? ORDER BY seq")) {
            int i = 1;
            for (RiskCase x : cases) ps.setString(i++, x.id());
            ps.setString(i, LedgerEvent.SELF_REPORT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LedgerEvent e = Sql.event(rs);
                    out.computeIfAbsent(e.caseId(), k -> new ArrayList<>()).add(e);
                }
            }
        }
        return out;
    }

    @Override
    public Map<Section, Long> counts(String prefix, Instant dueBefore) {
        StringBuilder sql = new StringBuilder("SELECT");
        Section[] sections = Section.values();
        for (int i = 0; i < sections.length; i++) {
            sql.append(i == 0 ? " " : ", ").append("COALESCE(SUM(status IN (").append(in(sections[i].statuses())).append(")")
                    .append(sections[i].byDeadline() ? " AND deadline_at < ?" : "").append("), 0)");
        }
        sql.append(" FROM cases WHERE jurisdiction LIKE ? AND status IN (").append(in(Section.ALL.statuses())).append(")");
        try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int i = 1;
            for (Section s : sections) if (s.byDeadline()) ps.setTimestamp(i++, Sql.ts(dueBefore));
            ps.setString(i, prefix + "%");
            Map<Section, Long> out = new EnumMap<>(Section.class);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                for (int k = 0; k < sections.length; k++) out.put(sections[k], rs.getLong(k + 1));
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("counting the work list failed", e);
        }
    }

    /** Status names are our enum's, never user text, so they are written into the SQL as literals. */
    private static String in(Set<CaseStatus> statuses) {
        return statuses.stream().map(s -> "'" + s.name() + "'").sorted().collect(Collectors.joining(", "));
    }

    private static DoorKnockTask task(ResultSet rs) throws SQLException {
        long id = rs.getLong("t_id");
        if (rs.wasNull()) return null;
        return new DoorKnockTask(id, rs.getString("id"), rs.getString("jurisdiction"), Sql.instant(rs, "t_created_at"),
                Sql.instant(rs, "t_due_at"), DoorKnockTask.Status.valueOf(rs.getString("t_status")),
                rs.getString("t_reason"), rs.getString("t_assignee"));
    }
}
