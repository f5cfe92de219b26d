package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.dispatch.QueueFigures;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MutableClock;

/** The figures behind the deadline and queue alerts, on a fixture counted by hand. */
@Tag("db")
class QueueFiguresTest {
    @Test
    void overdueCasesAndWaitingAttemptsAreCountedAsTheAlertsMeanThem() {
        Instant t0 = Instant.parse("2022-04-01T02:00:00Z"); // 10:00 in China: no quiet hours
        try (MariaDbExtension.TestDb db = MariaDbExtension.freshSchema()) {
            MutableClock clock = new MutableClock(t0);
            org.screening.outreach.support.Cases cases = new org.screening.outreach.support.Cases(db.database(), clock);
            cases.pushAs("q", "1", "13900000301", "RED", "510104001001");
            String verified = cases.pushAs("q", "2", "13900000302", "RED", "510104001002");
            cases.pushAs("q", "3", "13900000303", "YELLOW", "510104001003");
            JdbcCaseLedger ledger = new JdbcCaseLedger(db.database());
            JdbcAttemptQueue queue = new JdbcAttemptQueue(db.database(),
                    new CaseProgress(new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())));
            assertThat(queue.planNewCases(t0, 100)).isEqualTo(3);
            for (CaseStatus s : new CaseStatus[] {CaseStatus.REACHED, CaseStatus.VERIFIED}) {
                assertThat(ledger.apply(ledger.find(verified).orElseThrow().moveTo(s, t0, "test", "fixture"))).isTrue();
            }
            JdbcQueueFigures figures = new JdbcQueueFigures(db.database());

            QueueFigures.Figures now = figures.read(t0.plusSeconds(60));
            assertThat(now.overdueCases()).isZero();
            assertThat(now.dueAttempts()).as("first SMS and calls of the open cases are due at once").isPositive();
            assertThat(now.oldestDue()).isEqualTo(Duration.ofSeconds(60));

            // Three hours on: the unreached RED case is overdue, the verified one is not, the YELLOW (12 h) not yet.
            QueueFigures.Figures later = figures.read(t0.plus(Duration.ofHours(3)));
            assertThat(later.overdueCases()).isEqualTo(1);
            assertThat(later.oldestDue()).isEqualTo(Duration.ofHours(3));
        }
    }

    @Test
    void doorKnocksNobodyTookOnNearTheirDeadlineAreCountedApart() throws Exception {
        Instant t0 = Instant.parse("2022-04-01T02:00:00Z");
        try (MariaDbExtension.TestDb db = MariaDbExtension.freshSchema()) {
            // due in 30 min, unassigned | due in 30 min, assigned | due in 2 h, unassigned | 10 min late, assigned
            // | due in 30 min but done | cancelled
            task(db, "C1", t0.plus(Duration.ofMinutes(30)), "OPEN");
            task(db, "C2", t0.plus(Duration.ofMinutes(30)), "ASSIGNED");
            task(db, "C3", t0.plus(Duration.ofHours(2)), "OPEN");
            task(db, "C4", t0.minus(Duration.ofMinutes(10)), "ASSIGNED");
            task(db, "C5", t0.plus(Duration.ofMinutes(30)), "DONE");
            task(db, "C6", t0.minus(Duration.ofMinutes(30)), "CANCELLED");
            QueueFigures.Figures f = new JdbcQueueFigures(db.database()).read(t0);
            assertThat(f.openDoorKnocks()).isEqualTo(4);
            assertThat(f.unassignedDoorKnocksDueSoon()).isEqualTo(1);
            assertThat(f.overdueDoorKnocks()).isEqualTo(1);

            QueueFigures.Figures hourLater = new JdbcQueueFigures(db.database()).read(t0.plus(Duration.ofMinutes(61)));
            assertThat(hourLater.unassignedDoorKnocksDueSoon()).as("C1 is late now, C3 due within the hour").isEqualTo(2);
            assertThat(hourLater.overdueDoorKnocks()).isEqualTo(3);
        }
    }

    private static void task(MariaDbExtension.TestDb db, String caseId, Instant due, String status) throws Exception {
        try (java.sql.Connection c = db.database().connection();
             java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO door_knock_tasks (case_id, jurisdiction, "
                     + "created_at, due_at, status, reason) VALUES (?, '510104001001', ?, ?, ?, 'NO_ANSWER')")) {
            ps.setString(1, caseId);
            ps.setTimestamp(2, Sql.ts(due.minus(Duration.ofHours(1))));
            ps.setTimestamp(3, Sql.ts(due));
            ps.setString(4, status);
            ps.executeUpdate();
        }
    }
}
