package org.screening.outreach.support;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.Deadlines;
import org.screening.outreach.domain.QuietHours;
import org.screening.outreach.domain.RetryPlans;
import org.screening.outreach.intake.CaseStore;
import org.screening.outreach.intake.CaseSubmission;
import org.screening.outreach.intake.CaseValidator;
import org.screening.outreach.intake.IntakeListener;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.RowError;
import org.screening.outreach.store.Database;
import org.screening.outreach.store.JdbcCaseStore;

/** Puts cases into a test database through the real intake path; returns their ids in row order. */
public final class Cases {
    private final IntakeService intake;
    private static int counter; // shared, so phones never repeat across tests on one schema

    public Cases(Database db, Clock clock) {
        intake = new IntakeService(new JdbcCaseStore(db, new ContactPlanner(RetryPlans.defaults(), QuietHours.defaults())), new CaseValidator(Deadlines.defaults(),
                ZoneId.of("Asia/Shanghai")), clock, 1000);
    }

    public String push(String category, boolean mobile) {
        return pushMany(category, 1, mobile).get(0);
    }

    public List<String> pushMany(String category, int n, boolean mobile) {
        List<CaseSubmission> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = ++counter;
            String phone = mobile ? String.format("139%08d", k) : String.format("028%08d", 80000000 + k % 10000000);
            rows.add(new CaseSubmission(i + 1, "T" + k, "测试" + k, phone, "", category,
                    String.format("5101%08d", k % 50), ""));
        }
        return push("test", rows);
    }

    /** One row from a given source; the id of the case it landed in (new or merged). */
    public String pushAs(String source, String externalId, String phone, String category, String jurisdiction) {
        return push(source, List.of(new CaseSubmission(1, externalId, "测试", phone, "", category, jurisdiction, ""))).get(0);
    }

    private List<String> push(String source, List<CaseSubmission> rows) {
        List<String> ids = new ArrayList<>();
        intake.ingest(source, "", "test", sink -> rows.forEach(sink), new IntakeListener() {
            @Override
            public void stored(CaseSubmission row, CaseStore.Stored stored) {
                ids.add(stored.caseId());
            }

            @Override
            public void rejected(RowError error) {
                throw new IllegalStateException("test row rejected: " + error);
            }
        });
        return ids;
    }
}
