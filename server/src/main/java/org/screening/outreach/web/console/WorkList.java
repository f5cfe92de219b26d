package org.screening.outreach.web.console;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.DoorKnockTask;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.RiskCase;

/** The cases of a jurisdiction that need staff, soonest deadline first (SQL in store/JdbcStaffWorkList). */
public interface WorkList {

    /** The work list's tabs and the statuses each one shows. */
    enum Section {
        /** Everything still open: including verified cases waiting to be closed (销号). */
        ALL(EnumSet.of(CaseStatus.NEW, CaseStatus.CONTACTING, CaseStatus.REACHED, CaseStatus.DOOR_KNOCK,
                CaseStatus.POLICE_REVIEW, CaseStatus.UNDER_CONTROL, CaseStatus.VERIFIED), false),
        /** Not yet reached by SMS, call or self-report. */
        UNANSWERED(EnumSet.of(CaseStatus.NEW, CaseStatus.CONTACTING), false),
        /** Handed to the 3-person team. */
        DOOR_KNOCK(EnumSet.of(CaseStatus.DOOR_KNOCK), false),
        /**
         * Deadline within the due-soon window or already past, among the statuses RiskCase.isOverdue counts (a
         * verified or controlled case is no longer chased).
         */
        DUE_SOON(EnumSet.of(CaseStatus.NEW, CaseStatus.CONTACTING, CaseStatus.REACHED, CaseStatus.DOOR_KNOCK,
                CaseStatus.POLICE_REVIEW), true);

        private final Set<CaseStatus> statuses;
        private final boolean byDeadline;

        Section(Set<CaseStatus> statuses, boolean byDeadline) {
            this.statuses = statuses;
            this.byDeadline = byDeadline;
        }

        public Set<CaseStatus> statuses() {
            return statuses;
        }

        /** True when only cases due before the query's {@code dueBefore} belong here. */
        public boolean byDeadline() {
            return byDeadline;
        }
    }

    /** {@code status} and {@code category} null mean any; {@code status} narrows the section's statuses. */
    record Query(String jurisdictionPrefix, Section section, CaseStatus status, Category category, Instant dueBefore,
                 int offset, int limit) {}

    /**
     * A case, its active door-knock task if it has one, and its self-reports (oldest first), whose latest address
     * tells the door-knock team where to go.
     */
    record Row(RiskCase riskCase, DoorKnockTask task, List<LedgerEvent> selfReports) {}

    record Page(List<Row> rows, boolean more) {}

    Page find(Query query);

    /** How many cases each section holds in the prefix (for the tabs). */
    Map<Section, Long> counts(String jurisdictionPrefix, Instant dueBefore);
}
