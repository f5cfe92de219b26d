package org.screening.outreach;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.screening.outreach.intake.CaseStore;
import org.screening.outreach.intake.CaseSubmission;
import org.screening.outreach.intake.IntakeListener;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.IntakeSummary;
import org.screening.outreach.intake.RowError;

/**
 * {@code --demo}: pushes a realistic list (three communities of one street, every category, mobiles and a few
 * landlines) so a new user sees SMS, calls, answers and door knocks happen on the simulated channels within a
 * minute. Seeding twice changes nothing (same source and external ids).
 */
final class Demo {
    static final String SOURCE = "demo";
    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "秀英", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟"};
    private static final String[] CATEGORIES = {"红码", "红码", "黄码", "黄码", "黄码", "区域协查", "时空伴随", "省际漫游", "来返人员"};
    private static final String[] COMMUNITIES = {"510104001001", "510104001002", "510104001003"};

    private Demo() {}

    static IntakeSummary seed(IntakeService intake, int count) {
        Random r = new Random(2022);
        List<CaseSubmission> rows = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = SURNAMES[r.nextInt(SURNAMES.length)] + GIVEN[r.nextInt(GIVEN.length)];
            String phone = i % 10 == 0 ? String.format("028-8%07d", 1000000 + i) : String.format("1%d%08d", 35 + r.nextInt(5), i);
            rows.add(new CaseSubmission(i, String.format("DEMO-%04d", i), name, phone, "",
                    CATEGORIES[r.nextInt(CATEGORIES.length)], COMMUNITIES[i % COMMUNITIES.length], ""));
        }
        return intake.ingest(SOURCE, "", "demo", sink -> rows.forEach(sink), new IntakeListener() {
            @Override
            public void stored(CaseSubmission row, CaseStore.Stored stored) {
                // the summary is enough for the console message
            }

            @Override
            public void rejected(RowError error) {
                throw new IllegalStateException("demo row rejected: " + error);
            }
        });
    }
}
