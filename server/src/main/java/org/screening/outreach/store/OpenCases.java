package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ControlMatch;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.SamePerson;
import org.screening.outreach.privacy.IdNumbers;

/**
 * The open cases on the phones of an intake batch, per community, locked for the batch: which of them a pushed row
 * is the person of ({@link SamePerson}), and the open key a new case takes. The first open case of a phone in a
 * community holds {@code phone|jurisdiction}; another person on that phone (a family) holds
 * {@code phone|jurisdiction|} and 8 hex digits of a keyed hash of their ID number or name, so the unique key still
 * stops two concurrent imports from creating the same person twice.
 */
final class OpenCases {
    record Open(String id, String key, CaseStatus status, Category category, Instant receivedAt, Instant deadlineAt,
                CaseLanguage language, String name, String idNumber) {
        /** As a merge of {@code push} leaves it: the push's category and deadline if stricter, its language if given. */
        Open mergedWith(RiskCase push, boolean stricter, boolean newLanguage) {
            return new Open(id, key, status, stricter ? push.category() : category, receivedAt,
                    stricter ? push.deadlineAt() : deadlineAt, newLanguage ? push.language() : language, name, idNumber);
        }
    }

    private final IdNumbers ids;
    private final Map<String, List<Open>> byBase = new HashMap<>();
    private final List<String> released = new ArrayList<>();

    private OpenCases(IdNumbers ids) {
        this.ids = ids;
    }

    static OpenCases load(Connection c, IdNumbers ids, List<RiskCase> cands) throws SQLException {
        OpenCases open = new OpenCases(ids);
        List<String> bases = cands.stream().map(OpenCases::base).distinct().toList();
        if (bases.isEmpty()) return open;
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < bases.size(); i++) where.append(i == 0 ? "" : " OR ").append("open_key LIKE ?");
        try (PreparedStatement ps = c.prepareStatement("SELECT open_key, id, status, category, received_at, deadline_at, "
                + "language, name, id_number, id_number_enc FROM cases WHERE " + where + " FOR UPDATE")) {
            // Phones and division codes are digits and '+': nothing to escape for LIKE.
            for (int i = 0; i < bases.size(); i++) ps.setString(i + 1, bases.get(i) + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString("open_key");
                    Open o = new Open(rs.getString("id"), key, CaseStatus.valueOf(rs.getString("status")),
                            Category.valueOf(rs.getString("category")), Sql.instant(rs, "received_at"),
                            Sql.instant(rs, "deadline_at"), CaseLanguage.ofTag(rs.getString("language")),
                            rs.getString("name"), Sql.idNumber(rs, ids, "case"));
                    open.byBase.computeIfAbsent(baseOf(key), k -> new ArrayList<>()).add(o);
                }
            }
        }
        return open;
    }

    /** The open case {@code push} is the person of, if any. */
    Optional<Open> personOf(RiskCase push) {
        for (Open o : byBase.getOrDefault(base(push), List.of())) {
            if (SamePerson.of(o.name(), o.idNumber(), push.name(), push.idNumber())) return Optional.of(o);
        }
        return Optional.empty();
    }

    /** {@code o} as changed by a merge (category, deadline, language), for the batch's later rows. */
    void replace(Open o, Open changed) {
        List<Open> list = byBase.get(baseOf(o.key()));
        list.set(list.indexOf(o), changed);
    }

    /** A case that gives up its key (a verified person pushed as new risk): it no longer takes pushes. */
    void release(Open o) {
        byBase.get(baseOf(o.key())).remove(o);
        released.add(o.id());
    }

    /** The key of a new case of {@code c}, which is from now on one of the open cases. */
    String keyFor(RiskCase c) {
        String base = base(c);
        List<Open> onPhone = byBase.computeIfAbsent(base, k -> new ArrayList<>());
        boolean baseTaken = onPhone.stream().anyMatch(o -> o.key().equals(base));
        String key = baseTaken ? base + "|" + person(c) : base;
        onPhone.add(new Open(c.id(), key, c.status(), c.category(), c.receivedAt(), c.deadlineAt(), c.language(),
                c.name(), c.idNumber()));
        return key;
    }

    /** Before the batch's new cases are inserted: the keys they may take back. */
    void applyReleases(Connection c) throws SQLException {
        if (released.isEmpty()) return;
        try (PreparedStatement ps = c.prepareStatement("UPDATE cases SET open_key = NULL WHERE id IN ("
                + JdbcCaseStore.marks(released.size()) + ")")) {
            for (int i = 0; i < released.size(); i++) ps.setString(i + 1, released.get(i));
            ps.executeUpdate();
        }
    }

    private static String base(RiskCase c) {
        return c.phone() + "|" + c.jurisdiction();
    }

    private static String baseOf(String key) {
        int second = key.indexOf('|', key.indexOf('|') + 1);
        return second < 0 ? key : key.substring(0, second);
    }

    /** 8 hex digits telling people on one phone apart, keyed (no dictionary of names or ID numbers opens it). */
    private String person(RiskCase c) {
        String what = c.idNumber() != null ? "id:" + c.idNumber() : "name:" + ControlMatch.nameKey(c.name());
        return HexFormat.of().formatHex(ids.index().of(what), 0, 4);
    }
}
