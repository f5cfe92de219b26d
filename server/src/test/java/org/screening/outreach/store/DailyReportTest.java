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
import org.screening.outreach.domain.DailyReport;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;
import org.screening.outreach.domain.Transfer;
import org.screening.outreach.ledger.transfer.TransferRoutes;
import org.screening.outreach.ledger.transfer.TransferStore;
import org.screening.outreach.ledger.transfer.Transfers;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * The daily report of county 510104 for 2022-04-01 (Asia/Shanghai) against a fixture counted by hand: two streets,
 * a case received late in the evening and reached after midnight, one received the day before and closed today,
 * one outside the county, one handed to Chongqing and acknowledged, one handed where no peer serves (escalated).
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class DailyReportTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final LocalDate DAY = LocalDate.of(2022, 4, 1);

    static Instant at(int day, int hour, int minute) {
        return LocalDateTime.of(2022, 4, day, hour, minute).atZone(ZONE).toInstant();
    }

    @Test
    void countsEachStreetAndTheCountyAsCountedByHand(TestDb db) {
        Cases cases = casesAt(db, at(1, 9, 0));
        CaseLedger ledger = new JdbcCaseLedger(db.database());

        // Street 510104001: a YELLOW case reached at 10:00 and verified at 10:05; a RED case never reached
        // (deadline 11:00) and handed to a door knock.
        String yellow = cases.pushAs("r", "1", "13900000001", "黄码", "510104001001");
        move(ledger, yellow, at(1, 9, 1), CaseStatus.CONTACTING, CaseStatus.REACHED, CaseStatus.VERIFIED);
        String red = cases.pushAs("r", "2", "13900000002", "红码", "510104001002");
        move(ledger, red, at(1, 9, 1), CaseStatus.CONTACTING, CaseStatus.DOOR_KNOCK);
        ledger.append(new LedgerEvent(red, "DOOR_KNOCK_CREATED", at(1, 10, 0), "dispatcher", Map.of("reason", "not_reached")));

        // Street 510104002: received at 23:30, reached at 01:00 the next day (in time); received the day before,
        // verified and closed today.
        String late = casesAt(db, at(1, 23, 30)).pushAs("r", "3", "13900000003", "黄码", "510104002003");
        move(ledger, late, at(2, 1, 0), CaseStatus.CONTACTING, CaseStatus.REACHED);
        String before = casesAt(db, LocalDateTime.of(2022, 3, 31, 14, 0).atZone(ZONE).toInstant()).pushAs("r", "4", "13900000004", "黄码", "510104002004");
        move(ledger, before, at(1, 12, 0), CaseStatus.CONTACTING, CaseStatus.REACHED, CaseStatus.VERIFIED);
        move(ledger, before, at(1, 13, 0), CaseStatus.CLOSED);

        // Transfers: a RED case of street 001 handed to Chongqing at 09:30 and acknowledged at 09:40 (so not overdue
        // though never reached here); a YELLOW case of street 002 handed at 10:00 to a place without a peer
        // (escalated at once, never acknowledged).
        MutableClock transferClock = new MutableClock(at(1, 9, 30));
        JdbcTransfers store = new JdbcTransfers(db.database(), "5101");
        Transfers transfers = new Transfers(store, new TransferRoutes("5101", List.of(new TransferRoutes.Peer("5001",
                "http://127.0.0.1:9", new byte[32]))), Duration.ofMinutes(45), transferClock);
        String movedAway = cases.pushAs("r", "6", "13900000006", "红码", "510104001005");
        Transfer t = transfers.handOver(movedAway, "500101", "lives in Chongqing", "test").orElseThrow();
        transferClock.advance(Duration.ofMinutes(10));
        transfers.acknowledge(t.id(), "CQ1");
        transferClock.advance(Duration.ofMinutes(20));
        String noPeer = cases.pushAs("r", "7", "13900000007", "黄码", "510104002007");
        transfers.handOver(noPeer, "4401", "lives in Guangzhou", "test").orElseThrow();

        // Another county: not in the report.
        String other = cases.pushAs("r", "5", "13900000005", "黄码", "510105001001");
        move(ledger, other, at(1, 9, 30), CaseStatus.CONTACTING, CaseStatus.REACHED, CaseStatus.VERIFIED);

        DailyReport r = new JdbcDailyReports(db.database(), "5101").daily(DAY, "510104", ZONE, at(2, 8, 0));
        assertThat(r.childDigits()).isEqualTo(9);
        assertThat(r.rows()).containsExactly(
                new DailyReport.Row("510104001", 3, 1, 1, 1, 1, 0, 1, 1, 0),
                new DailyReport.Row("510104002", 2, 1, 0, 0, 1, 1, 1, 0, 1));
        assertThat(r.total()).isEqualTo(new DailyReport.Row("510104", 5, 2, 1, 1, 2, 1, 2, 1, 1));

        DailyReport community = new JdbcDailyReports(db.database(), "5101").daily(DAY, "510104002003", ZONE, at(2, 8, 0));
        assertThat(community.rows()).containsExactly(new DailyReport.Row("510104002003", 1, 1, 0, 0, 0, 0, 0, 0, 0));
    }

    /**
     * Levels add up in a deployment of Chengdu (5101) on 2022-04-05 (a day of its own: the class shares one schema),
     * counted by hand: county 510104 received A (reached, verified), B (RED, never reached: door knock, overdue) and D
     * (handed to Guangzhou, no peer: escalated, not overdue); county 510105 received C (reached, verified, closed); and
     * a push for F of Chongqing (500104…) reached the deployment, which handed it over at once and had it
     * acknowledged in 20 minutes. F counts as received and as handed over in the row of the deployment's own code
     * (510100 among the city's counties), never in a row of Chongqing's: the city received that push and passed it on.
     */
    @Test
    void eachLevelIsTheSumOfItsChildrenAndAForeignPushCountsWhereItsTransferIs(TestDb db) {
        CaseLedger ledger = new JdbcCaseLedger(db.database());
        Cases cases = casesAt(db, at(5, 9, 0));
        String a = cases.pushAs("lv", "A", "13900005001", "黄码", "510104001001");
        move(ledger, a, at(5, 9, 30), CaseStatus.CONTACTING, CaseStatus.REACHED, CaseStatus.VERIFIED);
        String b = cases.pushAs("lv", "B", "13900005002", "红码", "510104002001");
        move(ledger, b, at(5, 9, 1), CaseStatus.CONTACTING, CaseStatus.DOOR_KNOCK);
        ledger.append(new LedgerEvent(b, "DOOR_KNOCK_CREATED", at(5, 10, 0), "dispatcher", Map.of("reason", "not_reached")));
        String c = cases.pushAs("lv", "C", "13900005003", "黄码", "510105001001");
        move(ledger, c, at(5, 10, 0), CaseStatus.CONTACTING, CaseStatus.REACHED, CaseStatus.VERIFIED, CaseStatus.CLOSED);
        String f = cases.pushAs("lv", "F", "13900005006", "红码", "500104002003");

        MutableClock clock = new MutableClock(at(5, 9, 0));
        Transfers transfers = new Transfers(new JdbcTransfers(db.database(), "5101"), new TransferRoutes("5101",
                List.of(new TransferRoutes.Peer("50", "http://127.0.0.1:9", new byte[32]))), Duration.ofMinutes(45), clock);
        assertThat(transfers.handOverForeign(f)).isEqualTo("500104002003");
        clock.advance(Duration.ofMinutes(20));
        Transfer toChongqing = transfers.list(new TransferStore.Filter(Transfer.Direction.OUT, false, "", 10)).get(0);
        assertThat(toChongqing.caseId()).isEqualTo(f);
        transfers.acknowledge(toChongqing.id(), "CQ-F");
        clock.advance(Duration.ofMinutes(40));
        String d = cases.pushAs("lv", "D", "13900005004", "黄码", "510104001002");
        transfers.handOver(d, "4401", "lives in Guangzhou", "test").orElseThrow();

        JdbcDailyReports reports = new JdbcDailyReports(db.database(), "5101");
        LocalDate day = LocalDate.of(2022, 4, 5);
        Instant now = at(6, 8, 0);
        DailyReport wuhou = reports.daily(day, "510104", ZONE, now);
        assertThat(wuhou.rows()).containsExactly(
                new DailyReport.Row("510104001", 2, 1, 0, 0, 1, 0, 1, 0, 1),
                new DailyReport.Row("510104002", 1, 0, 1, 1, 0, 0, 0, 0, 0));
        assertThat(wuhou.total()).isEqualTo(new DailyReport.Row("510104", 3, 1, 1, 1, 1, 0, 1, 0, 1));
        DailyReport jinjiang = reports.daily(day, "510105", ZONE, now);
        assertThat(jinjiang.total()).isEqualTo(new DailyReport.Row("510105", 1, 1, 0, 0, 1, 1, 0, 0, 0));

        DailyReport city = reports.daily(day, "5101", ZONE, now);
        assertThat(city.rows()).containsExactly(
                new DailyReport.Row("510100", 1, 0, 0, 0, 0, 0, 1, 1, 0), wuhou.total(), jinjiang.total());
        assertThat(city.total()).isEqualTo(new DailyReport.Row("5101", 5, 2, 1, 1, 2, 1, 2, 1, 1));
        DailyReport province = reports.daily(day, "51", ZONE, now);
        assertThat(province.rows()).containsExactly(city.total());
        DailyReport deployment = reports.daily(day, "", ZONE, now);
        assertThat(deployment.rows()).as("no row of Chongqing's").containsExactly(province.total());
        assertThat(reports.daily(day, "50", ZONE, now).rows()).isEmpty();

        // The case behind the 510100 row is in the city's ledger (台账) export, not in a county's.
        JdbcLedgerExport ledgers = new JdbcLedgerExport(db.database(), "5101");
        assertThat(ledgers.page("5101", at(5, 0, 0), at(6, 0, 0), null, 100).events())
                .extracting(e -> e.caseId()).contains(f, a, c);
        assertThat(ledgers.page("510104", at(5, 0, 0), at(6, 0, 0), null, 100).events())
                .extracting(e -> e.caseId()).contains(a).doesNotContain(f, c);
    }

    static Cases casesAt(TestDb db, Instant now) {
        return new Cases(db.database(), new MutableClock(now));
    }

    /** Moves the case through {@code path}, one minute apart from {@code from}. */
    static void move(CaseLedger ledger, String id, Instant from, CaseStatus... path) {
        Instant t = from;
        for (CaseStatus s : path) {
            RiskCase c = ledger.find(id).orElseThrow();
            assertThat(ledger.apply(c.moveTo(s, t, "test", "fixture"))).isTrue();
            t = t.plusSeconds(60);
        }
    }
}
