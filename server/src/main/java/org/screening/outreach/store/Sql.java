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
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.privacy.IdNumberCipher;
import org.screening.outreach.privacy.IdNumbers;

/** Column mapping shared by the repositories. All DATETIME columns hold UTC. */
final class Sql {
    /** Columns a case is read from ({@link #riskCase}); id_number is the plaintext a version before V22 wrote. */
    static final String CASE_COLUMNS = "id, source, external_id, name, phone, sms_capable, id_number, id_number_enc, "
            + "category, jurisdiction, pushed_at, received_at, deadline_at, status, language";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Sql.class);
    private static final java.util.concurrent.atomic.AtomicLong UNREADABLE = new java.util.concurrent.atomic.AtomicLong();

    private Sql() {}

    /**
     * The driver (connectionTimeZone=UTC, preserving instants) writes a Timestamp's instant as UTC text, so the
     * Timestamp must hold the instant itself. Timestamp.valueOf(UTC wall clock) did so only in a JVM whose default
     * zone is UTC; under TZ=Asia/Shanghai every time was stored 8 hours early.
     */
    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }

    /**
     * The UTC date-time text of {@code i} in milliseconds ("2022-04-01 00:30:00.123"), for bulk inserts: the driver
     * formats a {@link Timestamp} through a new SimpleDateFormat for every value (twice in a rewritten batch), which
     * was the largest single cost of storing an intake batch. Sub-millisecond digits are dropped, as DATETIME(3)
     * keeps none; instants given here are already whole milliseconds.
     */
    static String utc(Instant i) {
        if (i == null) return null;
        LocalDateTime t = LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        int year = t.getYear();
        if (year < 1000 || year > 9999) return t.toString(); // not a DATETIME the intake makes; let the server judge
        char[] c = new char[23];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, t.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, t.getDayOfMonth(), 2);
        c[10] = ' ';
        put(c, 11, t.getHour(), 2);
        c[13] = ':';
        put(c, 14, t.getMinute(), 2);
        c[16] = ':';
        put(c, 17, t.getSecond(), 2);
        c[19] = '.';
        put(c, 20, t.getNano() / 1_000_000, 3);
        return new String(c);
    }

    /** {@link #utc} of the last instant asked, for runs of equal instants. */
    static final class UtcMemo {
        private Instant last;
        private String text;

        String of(Instant i) {
            if (i == null) return null;
            if (!i.equals(last)) {
                text = utc(i);
                last = i;
            }
            return text;
        }
    }

    private static void put(char[] c, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--, v /= 10) c[i] = (char) ('0' + v % 10);
    }

    static Instant instant(ResultSet rs, String col) throws SQLException {
        LocalDateTime t = rs.getObject(col, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    static RiskCase riskCase(ResultSet rs, IdNumbers ids) throws SQLException {
        return new RiskCase(rs.getString("id"), rs.getString("source"), rs.getString("external_id"),
                rs.getString("name"), rs.getString("phone"), rs.getBoolean("sms_capable"), idNumber(rs, ids, "case"),
                Category.valueOf(rs.getString("category")), rs.getString("jurisdiction"), instant(rs, "pushed_at"),
                instant(rs, "received_at"), instant(rs, "deadline_at"), CaseStatus.valueOf(rs.getString("status")),
                CaseLanguage.ofTag(rs.getString("language")));
    }

    /**
     * The ID number of the row: decrypted from id_number_enc, or the plaintext of a row the start-up step has not
     * encrypted yet (a node of the previous version wrote it during an upgrade). A value that cannot be decrypted (its
     * key is not configured, or it was altered) is treated as absent, so the person is still contacted; the start-up
     * check refuses keys that do not match the data, so this means damage, and is logged (without the value).
     */
    static String idNumber(ResultSet rs, IdNumbers ids, String what) throws SQLException {
        String sealed = rs.getString("id_number_enc");
        if (sealed == null) return rs.getString("id_number");
        try {
            return ids.open(sealed);
        } catch (IdNumberCipher.Unreadable e) {
            long n = UNREADABLE.incrementAndGet();
            if (n <= 20 || n % 1000 == 0) {
                log.warn("ID number of {} {} cannot be read, treated as absent: {} ({} so far)", what, rs.getString("id"),
                        e.getMessage(), n);
            }
            return null;
        }
    }

    /** Binds an event's five values from parameter {@code first} on. */
    static void bindEvent(PreparedStatement ps, int first, LedgerEvent e) throws SQLException {
        ps.setString(first, e.caseId());
        ps.setString(first + 1, e.type());
        ps.setTimestamp(first + 2, ts(e.at()));
        ps.setString(first + 3, e.actor());
        ps.setString(first + 4, json(e.data()));
    }

    /** Event data as stored: a JSON object of strings, numbers and booleans. */
    static String json(Map<String, Object> data) {
        return new JsonObject(Map.copyOf(data)).encode();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Appends {@code v} as a JSON string, escaped as the JSON encoder does (quote, backslash, control chars). */
    static void jsonString(StringBuilder b, String v) {
        b.append('"');
        for (int i = 0; i < v.length(); i++) {
            char ch = v.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (ch < 0x20) b.append("\\u00").append(HEX[ch >> 4]).append(HEX[ch & 15]);
                    else b.append(ch);
                }
            }
        }
        b.append('"');
    }

    static final String INSERT_EVENT_HEAD = "INSERT INTO ledger_events (case_id, type, at, actor, data)";
    static final String INSERT_EVENT = INSERT_EVENT_HEAD + " VALUES (?, ?, ?, ?, ?)";

    /** Writes a status change and its event on the caller's transaction; false if the case moved meanwhile. */
    static boolean applyStatusChange(java.sql.Connection c, RiskCase.StatusChange change) throws SQLException {
        if (!moveCase(c, change, change)) return false;
        insertEvent(c, change.event());
        return true;
    }

    /**
     * Moves the case from where {@code first} starts to where {@code last} ends in one UPDATE, for a run of changes
     * each starting where the one before ended; false, and nothing written, if the case moved meanwhile. The caller
     * writes the changes' events. A case leaving screening (verified, closed, transferred, isolated) has its texts
     * and calls not yet made cancelled with it: a reminder planned for after quiet hours must not reach a person
     * already settled, or one another jurisdiction now handles.
     */
    static boolean moveCase(java.sql.Connection c, RiskCase.StatusChange first, RiskCase.StatusChange last)
            throws SQLException {
        RiskCase after = last.after();
        // An open case keeps the key intake gave it (see OpenCases); a closed or transferred one gives it up.
        try (PreparedStatement up = c.prepareStatement(
                "UPDATE cases SET status = ?, open_key = IF(?, open_key, NULL) WHERE id = ? AND status = ?")) {
            up.setString(1, after.status().name());
            up.setBoolean(2, after.status().isOpen());
            up.setString(3, after.id());
            up.setString(4, String.valueOf(first.event().data().get("from")));
            if (up.executeUpdate() != 1) return false;
        }
        if (!after.status().inScreening()) {
            // A text or call being made now (CLAIMED, SENT) finishes and its outcome is still recorded.
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE attempts SET status = 'CANCELLED' WHERE case_id = ? AND status = 'PLANNED'")) {
                ps.setString(1, after.id());
                ps.executeUpdate();
            }
        }
        return true;
    }

    /** The statuses of cases still being screened, as an SQL list: {@code ('NEW', 'CONTACTING', …)}. */
    static final String IN_SCREENING = java.util.Arrays.stream(org.screening.outreach.domain.CaseStatus.values())
            .filter(org.screening.outreach.domain.CaseStatus::inScreening).map(s -> "'" + s.name() + "'")
            .collect(java.util.stream.Collectors.joining(", ", "(", ")"));

    static void insertEvent(java.sql.Connection c, LedgerEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            bindEvent(ps, 1, e);
            ps.executeUpdate();
        }
    }

    /** The events in one statement (in this order), on the caller's transaction. */
    static void insertEvents(java.sql.Connection c, java.util.List<LedgerEvent> events) throws SQLException {
        MultiRowInsert.insert(c, INSERT_EVENT_HEAD, 5, events, Sql::bindEvent);
    }

    /** The case, locked for the caller's transaction (waits for the lock: a case update must not be skipped). */
    static java.util.Optional<RiskCase> lockCase(java.sql.Connection c, IdNumbers ids, String caseId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + CASE_COLUMNS + " FROM cases WHERE id = ? FOR UPDATE")) {
            ps.setString(1, caseId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? java.util.Optional.of(riskCase(rs, ids)) : java.util.Optional.empty();
            }
        }
    }

    static LedgerEvent event(ResultSet rs) throws SQLException {
        return new LedgerEvent(rs.getString("case_id"), rs.getString("type"), instant(rs, "at"), rs.getString("actor"),
                new JsonObject(rs.getString("data")).getMap());
    }

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** A fresh 22-character token naming one claim of a work row; only that claim may settle the row. */
    static String claimToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Binds instants (as UTC timestamps), ints and strings in order; the statement, for try-with-resources. */
    static PreparedStatement bind(PreparedStatement ps, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant t) ps.setTimestamp(i + 1, ts(t));
            else if (p instanceof Integer n) ps.setInt(i + 1, n);
            else ps.setString(i + 1, (String) p);
        }
        return ps;
    }
}
