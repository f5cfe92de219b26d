package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.ledger.SlaFigures;
import org.screening.outreach.ledger.transfer.TransferRoutes;
import org.screening.outreach.ledger.transfer.Transfers;
import org.screening.outreach.support.MutableClock;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

/**
 * The dashboard's figures for county 510104 over 2022-04-01..03 against a fixture counted by hand: a case received
 * late on the 1st and reached in time after midnight counts on the 1st; one reached late and one escalated to a door
 * knock are breaches, with where they stand.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class SlaFiguresTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    static Instant at(int day, int hour, int minute) {
        return LocalDateTime.of(2022, 4, day, hour, minute).atZone(ZONE).toInstant();
    }

    @Test
    void daysCategoriesAndBreachesAsCountedByHand(TestDb db) {
        CaseLedger ledger = new JdbcCaseLedger(db.database());
        // Day 1: YELLOW reached at 10:00 (in time); RED (deadline 11:00) reached at 12:00 (late); a YELLOW received at
        // 23:30 and reached at 01:00 on day 2 (in time, counted on day 1).
        String yellow = DailyReportTest.casesAt(db, at(1, 9, 0)).pushAs("s", "1", "13900000101", "黄码", "510104001001");
        DailyReportTest.move(ledger, yellow, at(1, 10, 0), CaseStatus.CONTACTING, CaseStatus.REACHED);
        String late = DailyReportTest.casesAt(db, at(1, 9, 0)).pushAs("s", "2", "13900000102", "红码", "510104001002");
        DailyReportTest.move(ledger, late, at(1, 12, 0), CaseStatus.CONTACTING, CaseStatus.REACHED);
        String night = DailyReportTest.casesAt(db, at(1, 23, 30)).pushAs("s", "3", "13900000103", "黄码", "510104002001");
        DailyReportTest.move(ledger, night, at(2, 1, 0), CaseStatus.CONTACTING, CaseStatus.REACHED);
        // Day 3: a RED case never reached, with the door-knock team since 09:50; a RED case still within its deadline.
        String knock = DailyReportTest.casesAt(db, at(3, 8, 0)).pushAs("s", "4", "13900000104", "红码", "510104001003");
        DailyReportTest.move(ledger, knock, at(3, 9, 50), CaseStatus.CONTACTING, CaseStatus.DOOR_KNOCK);
        new JdbcDoorKnocksFixture(db).open(knock, "510104001003", at(3, 9, 50), "not_reached");
        DailyReportTest.casesAt(db, at(3, 11, 0)).pushAs("s", "5", "13900000105", "红码", "510104001004");
        // Another county: not counted.
        DailyReportTest.casesAt(db, at(1, 9, 0)).pushAs("s", "6", "13900000106", "红码", "510105001001");

        JdbcSlaFigures sla = new JdbcSlaFigures(db.database(), "5101");
        Instant now = at(3, 12, 0);
        LocalDate from = LocalDate.of(2022, 4, 1);
        LocalDate to = LocalDate.of(2022, 4, 3);
        assertThat(sla.days("510104", from, to, ZONE, now)).containsExactly(
                new SlaFigures.Day(from, 3, 2, 1),
                new SlaFigures.Day(from.plusDays(1), 0, 0, 0),
                new SlaFigures.Day(to, 2, 0, 1));
        assertThat(sla.byCategory("510104", from, to, ZONE)).contains(
                new SlaFigures.CategoryShare(Category.RED, 3, 0),
                new SlaFigures.CategoryShare(Category.YELLOW, 2, 2),
                new SlaFigures.CategoryShare(Category.ARRIVAL, 0, 0));

        List<SlaFigures.Breach> breaches = sla.breaches("510104", from, to, ZONE, now, 10);
        assertThat(breaches).extracting(SlaFigures.Breach::caseId).containsExactly(late, knock);
        assertThat(breaches.get(0).reachedAt()).isEqualTo(at(1, 12, 1)); // CONTACTING at 12:00, REACHED a minute later
        assertThat(breaches.get(0).doorKnockReason()).isNull();
        assertThat(breaches.get(1).reachedAt()).isNull();
        assertThat(breaches.get(1).status()).isEqualTo(CaseStatus.DOOR_KNOCK);
        assertThat(breaches.get(1).doorKnockReason()).isEqualTo("not_reached");
        assertThat(sla.breaches("510104002", from, to, ZONE, now, 10)).isEmpty();

        // A push for Chongqing on day 1, handed over at once: the city's (the deployment's) figures count it, as its
        // daily report does (day 1 for 5101: the three of 510104, 510105's unreached RED, and this one).
        String foreign = DailyReportTest.casesAt(db, at(1, 9, 0)).pushAs("s", "7", "13900000107", "红码", "500104002003");
        new Transfers(new JdbcTransfers(db.database(), "5101"), new TransferRoutes("5101", List.of()),
                Duration.ofMinutes(45), new MutableClock(at(1, 9, 0))).handOverForeign(foreign);
        assertThat(sla.days("5101", from, to, ZONE, now).get(0)).isEqualTo(new SlaFigures.Day(from, 5, 2, 2));
        assertThat(new JdbcDailyReports(db.database(), "5101").daily(from, "5101", ZONE, now).total().received())
                .isEqualTo(5);
        assertThat(sla.byCategory("5101", from, to, ZONE)).contains(new SlaFigures.CategoryShare(Category.RED, 5, 0));
        assertThat(sla.days("510104", from, to, ZONE, now).get(0)).isEqualTo(new SlaFigures.Day(from, 3, 2, 1));
    }

    /** A door-knock task row as the dispatcher writes it, for the breach's "where it stands". */
    record JdbcDoorKnocksFixture(TestDb db) {
        void open(String caseId, String jurisdiction, Instant at, String reason) {
            try (var c = db.database().connection(); var ps = c.prepareStatement("INSERT INTO door_knock_tasks "
                    + "(case_id, jurisdiction, created_at, due_at, status, reason) VALUES (?, ?, ?, ?, 'OPEN', ?)")) {
                ps.setString(1, caseId);
                ps.setString(2, jurisdiction);
                ps.setTimestamp(3, Sql.ts(at));
                ps.setTimestamp(4, Sql.ts(at.plusSeconds(3600)));
                ps.setString(5, reason);
                ps.executeUpdate();
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            new JdbcCaseLedger(db.database()).append(new LedgerEvent(caseId, "DOOR_KNOCK_CREATED", at, "dispatcher",
                    Map.of("reason", reason)));
        }
    }
}
