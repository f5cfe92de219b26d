package org.screening.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneId;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.intake.CaseValidator;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.IntakeSummary;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.store.JdbcCaseStore;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;

@Tag("db")
@ExtendWith(MariaDbExtension.class)
class DemoTest {

    @Test
    void theDemoListIsValidSpreadOverThreeCommunitiesAndSeedsOnce(TestDb db) {
        IntakeService intake = new IntakeService(new JdbcCaseStore(db.database(),
                new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())),
                new CaseValidator(Deadlines.defaults(), ZoneId.of("Asia/Shanghai")), Clock.systemUTC(), 1000);
        IntakeSummary first = Demo.seed(intake, 60);
        assertThat(first.accepted()).isEqualTo(60);
        assertThat(Demo.seed(intake, 60).duplicates()).isEqualTo(60);
        CaseLedger ledger = new JdbcCaseLedger(db.database());
        var page = ledger.list(new CaseLedger.Filter("510104001", CaseStatus.NEW, null, null, Clock.systemUTC().instant(), null, 100));
        assertThat(page.cases()).hasSize(60);
        assertThat(page.cases()).extracting(c -> c.jurisdiction()).containsOnly("510104001001", "510104001002", "510104001003");
        assertThat(page.cases()).extracting(c -> c.smsCapable()).contains(true, false);
        assertThat(page.cases()).extracting(c -> c.category().name()).contains("RED", "YELLOW");
    }
}
