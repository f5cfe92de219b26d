package org.screening.outreach.faults;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.screening.outreach.ledger.feed.FeedEvent;

/**
 * Accounts for a scenario's work from both ends: what the database says was done, and what the Twilio stub, the PBX
 * and the ledger receiver actually got.
 * <ul>
 *   <li>{@code lost}: a case neither contacted (no SMS taken, no call placed) nor handed to a door knock, and nothing
 *   left to try; a campaign recipient the database counts as handed to Twilio that Twilio never got, or an uploaded
 *   number with no row; a ledger event the feed counts as delivered that the receiver never got; a "delivered"
 *   status callback a node acknowledged (through the load balancer) that the database does not show: for a campaign
 *   recipient, its row not delivered; for a case reminder, its SMS attempt not completed as delivered
 *   ({@link #REMINDER_DELIVERED}).</li>
 *   <li>{@code duplicates}: a text or a call a person got twice (the same attempt or campaign recipient taken twice).</li>
 *   <li>{@code stuck}: work still waiting once nothing should (an attempt due or claimed, a call dialled whose outcome
 *   is not in, a campaign recipient pending or being sent, a ledger event not delivered, a status callback not yet
 *   answered, or acknowledged and not yet applied, for a campaign recipient or a case reminder).</li>
 *   <li>{@code callbacksFailed}: status callbacks the balancer or a node did not answer 2xx (Twilio does not send
 *   those again).</li>
 * </ul>
 */
final class Tally {
    record Figures(long lost, long duplicates, long stuck, long ledgerRedelivered, long failed, long callbacksFailed,
                   String detail) {}

    private final FaultRig rig;
    private final Workload work;
    private final long callbacksFailedBefore;

    Tally(FaultRig rig, Workload work) {
        this.rig = rig;
        this.work = work;
        this.callbacksFailedBefore = rig.twilio.callbacks.failed();
    }

    /**
     * What the SMS status webhook writes for a reminder's "delivered": the message's status in {@code sms_status}, and
     * the attempt completed with outcome DELIVERED (the same transaction records the case's SMS_DELIVERED event).
     */
    private static final String REMINDER_DELIVERED = "(a.status = 'DONE' AND a.outcome = 'DELIVERED' "
            + "AND s.status IN ('delivered', 'read'))";

    /** A call dialled whose outcome is not in yet (a SENT text is settled by its status callback, counted apart). */
    private static final String CALL_UNSETTLED = "OR (a.status = 'SENT' AND a.kind = 'VOICE')";

    /** Cheap enough to poll: the work still waiting, counted in the database. */
    long stuck() throws SQLException {
        return java.util.Arrays.stream(stuckParts()).sum();
    }

    /**
     * [attempts due or claimed, recipients pending or sending, ledger events undelivered, cases missing, importing,
     * status callbacks not yet answered, or acknowledged but not yet applied (campaign recipients, case reminders)].
     */
    long[] stuckParts() throws SQLException {
        try (Connection c = rig.sql()) {
            return new long[] {
                    count(c, "SELECT COUNT(*) FROM attempts a JOIN cases k ON k.id = a.case_id WHERE k.source = ? "
                            + "AND (a.status = 'CLAIMED' OR (a.status = 'PLANNED' AND a.due_at <= ?) " + CALL_UNSETTLED + ")",
                            work.source(), now()),
                    count(c, "SELECT COUNT(*) FROM campaign_recipients WHERE campaign_id = ? AND status IN (0, 1)",
                            work.campaignId()),
                    count(c, "SELECT COUNT(*) FROM ledger_events e JOIN cases k ON k.id = e.case_id "
                            + "LEFT JOIN ledger_feed_cursors f ON f.destination = ? AND f.case_id = e.case_id "
                            + "WHERE k.source = ? AND (f.delivered_seq IS NULL OR e.seq > f.delivered_seq)",
                            rig.ledger.url(), work.source()),
                    count(c, "SELECT ? - COUNT(*) FROM cases WHERE source = ?", work.cases(), work.source()),
                    campaignImporting(c) ? 1 : 0,
                    rig.twilio.callbacks.pending() + callbacksNotApplied(c) + remindersNotApplied(c)};
        }
    }

    /**
     * The scenario's case reminders whose "delivered" callback a node acknowledged and whose attempt does not show it
     * (yet: while waiting it is work pending; once settled, lost).
     */
    private long remindersNotApplied(Connection c) throws SQLException {
        long n = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT a.id FROM attempts a JOIN cases k ON k.id = a.case_id "
                + "LEFT JOIN sms_status s ON s.attempt_id = a.id WHERE k.source = ? AND a.kind = 'SMS' "
                + "AND NOT COALESCE(" + REMINDER_DELIVERED + ", FALSE)")) {
            s.setString(1, work.source());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    if (rig.twilio.callbacks.acknowledgedAttempt(r.getLong(1))) n++;
                }
            }
        }
        return n;
    }

    /** "delivered" callbacks a node acknowledged for this campaign that its rows do not show yet (applied later). */
    private long callbacksNotApplied(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT MIN(id), MAX(id), SUM(status = 10) FROM campaign_recipients "
                + "WHERE campaign_id = ?")) {
            s.setLong(1, work.campaignId());
            try (ResultSet r = s.executeQuery()) {
                if (!r.next() || r.getObject(1) == null) return 0;
                return Math.max(0, rig.twilio.callbacks.acknowledgedBetween(r.getLong(1), r.getLong(2)) - r.getLong(3));
            }
        }
    }

    Figures figures() throws SQLException {
        try (Connection c = rig.sql()) {
            long[] cases = cases(c);
            long[] campaign = campaign(c);
            long[] ledger = ledger(c);
            long[] stuckParts = stuckParts();
            long stuck = java.util.Arrays.stream(stuckParts).sum();
            long remindersLost = remindersNotApplied(c);
            long callbacksFailed = rig.twilio.callbacks.failed() - callbacksFailedBefore;
            String detail = String.format("cases_lost=%d recipients_lost=%d ledger_lost=%d campaign_callbacks_lost=%d "
                    + "reminder_callbacks_lost=%d sms_dup=%d call_dup=%d campaign_dup=%d stuck_attempts=%d "
                    + "stuck_recipients=%d stuck_ledger=%d cases_missing=%d importing=%d stuck_callbacks=%d "
                    + "callbacks_failed=%d calls_unreported=%d", cases[0], campaign[0], ledger[0], campaign[3],
                    remindersLost, cases[1], cases[2], campaign[1], stuckParts[0], stuckParts[1], stuckParts[2],
                    stuckParts[3], stuckParts[4], stuckParts[5], callbacksFailed, callsUnreported(c));
            return new Figures(cases[0] + campaign[0] + campaign[3] + remindersLost + ledger[0],
                    cases[1] + cases[2] + campaign[1], stuck, ledger[1], campaign[2], callbacksFailed, detail);
        }
    }

    /** Calls whose outcome never came (lost with the AMI link), settled by the queue once no call could run. */
    private long callsUnreported(Connection c) throws SQLException {
        return count(c, "SELECT COUNT(*) FROM ledger_events e JOIN cases k ON k.id = e.case_id WHERE k.source = ? "
                + "AND e.type IN ('CALL_FAILED', 'CALL_ANSWERED') AND e.data LIKE '%no_outcome_reported%'", work.source());
    }

    /** [cases lost, SMS duplicates, call duplicates]. */
    private long[] cases(Connection c) throws SQLException {
        Map<String, Boolean> contacted = new HashMap<>();
        Set<String> pending = new HashSet<>();
        long smsDup = 0;
        long callDup = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT k.id, a.id, a.kind, a.status, a.due_at <= ? FROM cases k "
                + "LEFT JOIN attempts a ON a.case_id = k.id WHERE k.source = ?")) {
            s.setObject(1, now());
            s.setString(2, work.source());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String caseId = r.getString(1);
                    contacted.putIfAbsent(caseId, false);
                    if (r.getString(3) == null) continue;
                    long attempt = r.getLong(2);
                    int got = "SMS".equals(r.getString(3)) ? rig.twilio.taken("attemptId=" + attempt)
                            : rig.pbx.originates(attempt);
                    if (got > 0) contacted.put(caseId, true);
                    if ("SMS".equals(r.getString(3))) smsDup += Math.max(0, got - 1);
                    else callDup += Math.max(0, got - 1);
                    String status = r.getString(4);
                    boolean callUnsettled = status.equals("SENT") && "VOICE".equals(r.getString(3));
                    if (status.equals("CLAIMED") || (status.equals("PLANNED") && r.getBoolean(5)) || callUnsettled) {
                        pending.add(caseId);
                    }
                }
            }
        }
        Set<String> doorKnocked = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement("SELECT DISTINCT d.case_id FROM door_knock_tasks d "
                + "JOIN cases k ON k.id = d.case_id WHERE k.source = ?")) {
            s.setString(1, work.source());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) doorKnocked.add(r.getString(1));
            }
        }
        long lost = work.cases() - contacted.size(); // a push the API accepted that left no case
        for (Map.Entry<String, Boolean> e : contacted.entrySet()) {
            if (!e.getValue() && !doorKnocked.contains(e.getKey()) && !pending.contains(e.getKey())) lost++;
        }
        return new long[] {lost, smsDup, callDup};
    }

    /**
     * [recipients lost, duplicates, failed at or before the provider, "delivered" callbacks a node acknowledged that
     * the recipient's row does not show].
     */
    private long[] campaign(Connection c) throws SQLException {
        long lost = 0;
        long callbacksLost = 0;
        long dup = 0;
        long failed = 0;
        long rows = 0;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT id, status FROM campaign_recipients WHERE campaign_id = ?")) {
            s.setLong(1, work.campaignId());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows++;
                    int got = rig.twilio.taken("campaignRecipient=" + r.getLong(1));
                    int status = r.getInt(2);
                    // 2 queued, 3 sent, 10 delivered: the database says Twilio has it.
                    if ((status == 2 || status == 3 || status == 10) && got == 0) lost++;
                    if (status == 11) failed++;
                    if (status != 10 && rig.twilio.callbacks.acknowledged(r.getLong(1))) callbacksLost++;
                    dup += Math.max(0, got - 1);
                }
            }
        }
        long accounted = rows + count(c, "SELECT invalid_rows + duplicate_rows FROM campaigns WHERE id = ?",
                work.campaignId());
        return new long[] {lost + Math.max(0, work.recipients() - accounted), dup, failed, callbacksLost};
    }

    /** [events lost, events received more than once (at-least-once delivery, not a fault)]. */
    private long[] ledger(Connection c) throws SQLException {
        long lost = 0;
        long redelivered = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT e.case_id, e.seq, COALESCE(f.delivered_seq, 0) "
                + "FROM ledger_events e JOIN cases k ON k.id = e.case_id "
                + "LEFT JOIN ledger_feed_cursors f ON f.destination = ? AND f.case_id = e.case_id WHERE k.source = ?")) {
            s.setString(1, rig.ledger.url());
            s.setString(2, work.source());
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    int got = rig.ledger.received(FeedEvent.eventId(r.getString(1), r.getLong(2)));
                    if (r.getLong(2) <= r.getLong(3) && got == 0) lost++;
                    redelivered += Math.max(0, got - 1);
                }
            }
        }
        return new long[] {lost, redelivered};
    }

    private boolean campaignImporting(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT status FROM campaigns WHERE id = ?")) {
            s.setLong(1, work.campaignId());
            try (ResultSet r = s.executeQuery()) {
                return !r.next() || r.getString(1).equals("IMPORTING");
            }
        }
    }

    /** Stored times are UTC wall-clock values (DATETIME); LocalDateTime goes over JDBC unconverted. */
    private static LocalDateTime now() {
        return LocalDateTime.now(ZoneOffset.UTC);
    }

    private static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) s.setObject(i + 1, args[i]);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getLong(1) : 0;
            }
        }
    }
}
