package org.screening.outreach.domain;

import java.time.LocalDate;
import java.util.List;

/**
 * The day's figures every level reports upward (seeds: 每日报告): per child jurisdiction of {@code jurisdiction}
 * (a province's cities, a county's streets, …) and in total. Cases count on the day they were received, except
 * {@code verified} and {@code closed}, which count the cases that became so that day. A case handed to another
 * jurisdiction before its deadline is not overdue here: it is counted among the transfers.
 *
 * @param received      cases received that day
 * @param reachedInTime of those, reached (or verified, or under control) by their deadline
 * @param escalated     of those, handed to a door knock
 * @param overdue       of those, deadline passed without being reached
 * @param verified      cases verified that day
 * @param closed        cases closed (销号) that day
 * @param transfersSent  cases handed to another jurisdiction that day (Sichuan §3)
 * @param transfersAcknowledged of those, acknowledged by the receiver within the hour
 * @param transfersEscalated    of those, escalated to the county task force (not acknowledged in time, refused,
 *                              or no peer to send to)
 */
public record DailyReport(LocalDate date, String jurisdiction, int childDigits, List<Row> rows, Row total) {

    public record Row(String jurisdiction, long received, long reachedInTime, long escalated, long overdue,
                      long verified, long closed, long transfersSent, long transfersAcknowledged,
                      long transfersEscalated) {
        public Row plus(Row o) {
            return new Row(jurisdiction, received + o.received, reachedInTime + o.reachedInTime,
                    escalated + o.escalated, overdue + o.overdue, verified + o.verified, closed + o.closed,
                    transfersSent + o.transfersSent, transfersAcknowledged + o.transfersAcknowledged,
                    transfersEscalated + o.transfersEscalated);
        }
    }

    public DailyReport {
        rows = List.copyOf(rows);
    }

    /**
     * How many digits name the children of a jurisdiction prefix: province (2) → cities (4) → counties (6) →
     * streets (9) → communities (12); a community is its own only row.
     */
    public static int childDigits(String prefix) {
        int n = prefix.length();
        if (n < 2) return 2;
        if (n < 4) return 4;
        if (n < 6) return 6;
        if (n < 9) return 9;
        return 12;
    }

    public static DailyReport of(LocalDate date, String jurisdiction, List<Row> rows) {
        Row total = new Row(jurisdiction, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        for (Row r : rows) total = total.plus(r);
        return new DailyReport(date, jurisdiction, childDigits(jurisdiction), rows, total);
    }
}
