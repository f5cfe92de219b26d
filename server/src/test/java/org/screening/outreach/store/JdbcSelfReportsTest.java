package org.screening.outreach.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.domain.FirstCheck;
import org.screening.outreach.intake.CaseSubmission;
import org.screening.outreach.intake.CaseValidator;
import org.screening.outreach.intake.IntakeListener;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MutableClock;

/**
 * A self-report is checked against the case's last one while the case is locked. That check must use the locking
 * transaction's own connection: with every pool connection holding a case lock, a second borrow would wait for a
 * connection that is never given back, and reports would fail exactly when many arrive at once.
 */
@Tag("db")
class JdbcSelfReportsTest {
    static final Instant T0 = Instant.parse("2022-04-01T02:00:00Z");

    @Test
    void aReportIsRecordedOnceEvenWhenTheWholePoolIsOneConnection() {
        try (MariaDbExtension.TestDb fresh = MariaDbExtension.freshSchema();
             Database one = Database.connect(fresh.url(), "root", "", 1)) {
            ContactPlanner planner = new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults());
            IntakeService intake = new IntakeService(new JdbcCaseStore(one, planner),
                    new CaseValidator(Deadlines.defaults(), ZoneId.of("Asia/Shanghai")), new MutableClock(T0), 3);
            String[] id = new String[1];
            intake.ingest("cdc", "", "test", sink -> sink.accept(new CaseSubmission(1, "S1", "张三", "13800000001", "",
                    "黄码", "510104001001", "")), new IntakeListener() {
                @Override
                public void stored(CaseSubmission row, org.screening.outreach.intake.CaseStore.Stored stored) {
                    id[0] = stored.caseId();
                }

                @Override
                public void rejected(org.screening.outreach.intake.RowError error) {
                    throw new AssertionError(error.toString());
                }
            });
            JdbcCaseLedger ledger = new JdbcCaseLedger(one);
            JdbcSelfReports reports = new JdbcSelfReports(ledger, new JdbcCaseUpdates(one), new CaseProgress(planner));
            Map<String, String> answers = Map.of(FirstCheck.IDENTITY, "1", FirstCheck.IN_CITY, "1",
                    FirstCheck.TRAVEL_7D, "2", FirstCheck.HEALTH_CODE, "1");

            assertThat(reports.record(id[0], answers, T0.plusSeconds(60))).isTrue();
            assertThat(reports.record(id[0], answers, T0.plusSeconds(61))).isTrue();
            assertThat(reports.record(id[0], Map.of(FirstCheck.IDENTITY, "2"), T0.plusSeconds(62))).isTrue();

            List<LedgerEvent> selfReports = ledger.events(id[0]).stream()
                    .filter(e -> LedgerEvent.SELF_REPORT.equals(e.type())).toList();
            assertThat(selfReports).extracting(LedgerEvent::at).containsExactly(T0.plusSeconds(60), T0.plusSeconds(62));
        }
    }
}
