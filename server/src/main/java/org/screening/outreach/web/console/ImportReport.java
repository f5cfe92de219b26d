package org.screening.outreach.web.console;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.intake.CaseStore;
import org.screening.outreach.intake.CaseSubmission;
import org.screening.outreach.intake.IntakeListener;
import org.screening.outreach.intake.RowError;

/**
 * What the import page shows of one case file: its rows and rejected rows as the intake reports them, the first
 * {@code shown} of each (a million-row file must not fill the heap or the page; the counts come complete from the
 * intake summary). Rows are kept as the page shows them: names and phones masked. The intake may report from its
 * store thread, hence the locks.
 */
final class ImportReport implements IntakeListener {
    private final int shown;
    private final Messages m;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final List<Map<String, Object>> rejected = new ArrayList<>();
    private final List<Map<String, Object>> warnings = new ArrayList<>();
    private long rowsLeftOff;
    private long rejectedLeftOff;
    private long warningsLeftOff;

    ImportReport(int shown, Messages m) {
        this.shown = shown;
        this.m = m;
    }

    @Override
    public synchronized void stored(CaseSubmission row, CaseStore.Stored stored) {
        if (rows.size() >= shown) {
            rowsLeftOff++;
            return;
        }
        Map<String, Object> v = new HashMap<>();
        v.put("row", row.row());
        v.put("externalId", row.externalId() == null ? "" : row.externalId());
        v.put("name", Masking.name(row.name()));
        v.put("outcome", m.getOr("import.outcome." + stored.outcome().name(), stored.outcome().name()));
        v.put("status", m.getOr("status." + stored.status().name(), stored.status().name()));
        // A control-list entry is not a case: nothing to open.
        v.put("caseId", stored.outcome() == CaseStore.Outcome.CONTROL_LISTED ? "" : stored.caseId());
        rows.add(v);
    }

    @Override
    public synchronized void rejected(RowError error) {
        if (rejected.size() >= shown) {
            rejectedLeftOff++;
            return;
        }
        rejected.add(Map.of("row", error.row(), "field", m.getOr("field." + error.field(), error.field()),
                "message", message(error.message())));
    }

    private static final java.util.regex.Pattern OUTSIDE = java.util.regex.Pattern.compile(
            "jurisdiction is outside your scope (\\d*)");

    /** The intake's message in the page's language: looked up whole, the scope one by its form; else as written. */
    private String message(String english) {
        String whole = m.getOr("import.error." + english, null);
        if (whole != null) return whole;
        java.util.regex.Matcher outside = OUTSIDE.matcher(english);
        if (outside.matches()) return m.fmt("import.error.outsideScope", outside.group(1));
        return english;
    }

    /** Something left out of a row that was still taken (an unreadable push time), in the page's language. */
    @Override
    public synchronized void warned(RowError warning) {
        if (warnings.size() >= shown) {
            warningsLeftOff++;
            return;
        }
        warnings.add(Map.of("row", warning.row(), "field", m.getOr("field." + warning.field(), warning.field()),
                "message", m.getOr("import.warning." + warning.field(), warning.message())));
    }

    synchronized Map<String, Object> view() {
        return Map.of("rows", List.copyOf(rows), "rejected", List.copyOf(rejected), "rowsLeftOff", rowsLeftOff,
                "rejectedLeftOff", rejectedLeftOff, "warnings", List.copyOf(warnings), "warningsLeftOff", warningsLeftOff);
    }
}
