package org.screening.outreach.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.ivr.CallSessions;
import org.screening.outreach.ivr.IvrSession;
import org.screening.outreach.ivr.IvrSessionJson;

/** IVR sessions in {@code call_sessions}, one row per answered call; answers go to the ledger in the same commit. */
public final class JdbcCallSessions implements CallSessions {
    private final Database db;
    private final Clock clock;

    public JdbcCallSessions(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** One SELECT in autocommit: no transaction to open and close on every step of every call. */
    @Override
    public Optional<Call> find(long attemptId) {
        try (Connection c = db.connection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.case_id, a.status, k.name, k.jurisdiction, k.language, "
                    + "s.events, s.session, s.reply FROM attempts a JOIN cases k ON k.id = a.case_id "
                    + "LEFT JOIN call_sessions s ON s.attempt_id = a.id WHERE a.id = ? AND a.kind = 'VOICE'")) {
                ps.setLong(1, attemptId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    String status = rs.getString("status");
                    boolean open = !status.equals("DONE") && !status.equals("CANCELLED");
                    Optional<Stored> stored = rs.getString("session") == null ? Optional.empty()
                            : Optional.of(new Stored(IvrSessionJson.read(rs.getString("session")), rs.getString("reply"),
                            rs.getInt("events")));
                    return Optional.of(new Call(attemptId, rs.getString("case_id"), rs.getString("name"),
                            rs.getString("jurisdiction"), rs.getString("language"), open, stored));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("reading a call session failed", e);
        }
    }

    @Override
    public boolean save(long attemptId, int eventNo, IvrSession session, String reply, List<LedgerEvent> answers) {
        // A session alone is one statement, atomic by itself: no transaction to open (the answer step, a retry).
        if (answers.isEmpty()) {
            try (Connection c = db.connection()) {
                return storeSession(c, attemptId, eventNo, session, reply);
            } catch (SQLException e) {
                throw new StoreException("storing a call session failed", e);
            }
        }
        return Tx.run(db, "storing a call session", c -> {
            if (!storeSession(c, attemptId, eventNo, session, reply)) return false; // nothing written
            Sql.insertEvents(c, answers);
            return true;
        });
    }

    /** False when a duplicate of this event was stored first. */
    private boolean storeSession(Connection c, long attemptId, int eventNo, IvrSession session, String reply)
            throws SQLException {
        String sql = eventNo == 1
                ? "INSERT IGNORE INTO call_sessions (session, reply, updated_at, events, attempt_id) VALUES (?, ?, ?, ?, ?)"
                : "UPDATE call_sessions SET session = ?, reply = ?, updated_at = ?, events = ? "
                + "WHERE attempt_id = ? AND events = ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, IvrSessionJson.write(session));
            ps.setString(2, reply);
            ps.setTimestamp(3, Sql.ts(clock.instant()));
            ps.setInt(4, eventNo);
            ps.setLong(5, attemptId);
            if (eventNo != 1) ps.setInt(6, eventNo - 1);
            return ps.executeUpdate() == 1;
        }
    }
}
