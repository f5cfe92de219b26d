package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.domain.ControlMatch;
import org.screening.outreach.domain.KnownPerson;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.privacy.IdNumbers;

/**
 * SQL of {@code known_persons}, on the caller's transaction: who newly pushed cases are matched against
 * (domain {@link org.screening.outreach.domain.ControlMatch}).
 */
final class JdbcKnownPersons {
    /** Read: id_number is the plaintext of a row written before V22 and not yet encrypted by the start-up step. */
    private static final String COLUMNS = "id, kind, case_id, source, external_id, name, phone, id_number, "
            + "id_number_enc, jurisdiction, known_at";
    private static final String INSERT = "INSERT INTO known_persons (id, kind, case_id, source, external_id, name, "
            + "phone, id_number_enc, id_number_idx, jurisdiction, known_at)";

    private JdbcKnownPersons() {}

    /**
     * Values per IN list: MariaDB turns an IN list of 1000 or more values into a subquery (in_predicate_conversion_
     * threshold), which for this lookup measured over 20 times slower than the index lookups it replaces.
     */
    private static final int IN_LIST = 500;

    /**
     * Everyone known since {@code since} who shares an ID number, or a phone, with one of {@code cases} (a phone
     * matters only with a name): one round trip of equality lookups on the two indexes, as a UNION since an OR
     * across two columns may scan the table. ID numbers are looked up by their blind index (the stored numbers are
     * encrypted); {@link ControlMatch} then compares the decrypted numbers. The time is checked here, not in SQL: a
     * range on a second key part doubled the cost of the lookup. Someone found both ways comes twice, which the rule
     * does not mind.
     */
    static List<KnownPerson> candidatesFor(Connection c, IdNumbers idNumbers, List<RiskCase> cases, Instant since)
            throws SQLException {
        Map<String, Object> ids = new LinkedHashMap<>();
        Map<String, Object> phones = new LinkedHashMap<>();
        for (RiskCase r : cases) {
            if (r.idNumber() != null) ids.computeIfAbsent(r.idNumber(), idNumbers::indexOf);
            if (!ControlMatch.nameKey(r.name()).isEmpty()) phones.put(r.phone(), r.phone());
        }
        List<Object> values = new ArrayList<>(ids.size() + phones.size());
        StringBuilder sql = new StringBuilder();
        for (Map.Entry<String, Map<String, Object>> column : List.of(Map.entry("id_number_idx", ids),
                Map.entry("phone", phones))) {
            List<Object> all = new ArrayList<>(column.getValue().values());
            for (int from = 0; from < all.size(); from += IN_LIST) {
                List<Object> part = all.subList(from, Math.min(all.size(), from + IN_LIST));
                if (sql.length() > 0) sql.append(" UNION ALL ");
                sql.append("SELECT ").append(COLUMNS).append(" FROM known_persons WHERE ").append(column.getKey())
                        .append(" IN (").append(JdbcCaseStore.marks(part.size())).append(')');
                values.addAll(part);
            }
        }
        List<KnownPerson> found = new ArrayList<>();
        if (values.isEmpty()) return found;
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                if (values.get(i) instanceof byte[] index) ps.setBytes(i + 1, index);
                else ps.setString(i + 1, (String) values.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    KnownPerson k = read(rs, idNumbers);
                    if (!k.knownAt().isBefore(since)) found.add(k);
                }
            }
        }
        return found;
    }

    /** Control-list rows this source sent before, by external id. */
    static Map<String, KnownPerson> listedBy(Connection c, IdNumbers idNumbers, String source, List<KnownPerson> rows)
            throws SQLException {
        Map<String, KnownPerson> found = new HashMap<>();
        if (rows.isEmpty()) return found;
        List<String> ids = rows.stream().map(KnownPerson::externalId).distinct().toList();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM known_persons WHERE source = ? "
                + "AND external_id IN (" + JdbcCaseStore.marks(ids.size()) + ")")) {
            ps.setString(1, source);
            for (int i = 0; i < ids.size(); i++) ps.setString(i + 2, ids.get(i));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) found.put(rs.getString("external_id"), read(rs, idNumbers));
            }
        }
        return found;
    }

    /** New people, as one batch; a control-list row that a concurrent batch inserted fails on its unique key. */
    static void insert(Connection c, IdNumbers idNumbers, List<KnownPerson> people) throws SQLException {
        MultiRowInsert.insert(c, INSERT, 11, people, (ps, p, k) -> bind(ps, p, idNumbers, k));
    }

    /** Control-list entries listed again at {@code now}: their sparing window starts over from it. */
    static void listedAgain(Connection c, List<String> ids, Instant now) throws SQLException {
        if (ids.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("UPDATE known_persons SET known_at = ? WHERE id IN ("
                + JdbcCaseStore.marks(ids.size()) + ") AND known_at < ?")) {
            ps.setString(1, Sql.utc(now));
            for (int i = 0; i < ids.size(); i++) ps.setString(i + 2, ids.get(i));
            ps.setString(ids.size() + 2, Sql.utc(now));
            ps.executeUpdate();
        }
    }

    /** Someone a case made known; a second self-report or measure on the same case adds a newer row. */
    static void note(Connection c, IdNumbers idNumbers, KnownPerson k) throws SQLException {
        insert(c, idNumbers, List.of(k));
    }

    private static void bind(PreparedStatement ps, int p, IdNumbers idNumbers, KnownPerson k) throws SQLException {
        // Only a list row is named by its source's id; a case's own id is the case's, and stays unique there.
        boolean listRow = k.caseId() == null;
        ps.setString(p, k.id());
        ps.setString(p + 1, k.kind().name());
        ps.setString(p + 2, k.caseId());
        ps.setString(p + 3, listRow ? k.source() : null);
        ps.setString(p + 4, listRow ? k.externalId() : null);
        ps.setString(p + 5, k.name() == null ? "" : k.name());
        ps.setString(p + 6, k.phone());
        ps.setString(p + 7, idNumbers.seal(k.idNumber()));
        ps.setBytes(p + 8, idNumbers.indexOf(k.idNumber()));
        ps.setString(p + 9, k.jurisdiction());
        ps.setString(p + 10, Sql.utc(k.knownAt()));
    }

    private static KnownPerson read(ResultSet rs, IdNumbers idNumbers) throws SQLException {
        return new KnownPerson(rs.getString("id"), KnownPerson.Kind.valueOf(rs.getString("kind")),
                rs.getString("case_id"), rs.getString("source"), rs.getString("external_id"), rs.getString("name"),
                rs.getString("phone"), Sql.idNumber(rs, idNumbers, "known person"), rs.getString("jurisdiction"),
                Sql.instant(rs, "known_at"));
    }
}
