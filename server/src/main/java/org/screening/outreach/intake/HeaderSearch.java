package org.screening.outreach.intake;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the header of a sheet of cases among its first rows with text: lists exported from Excel often start with a
 * title or two above it (the list's name, its export date), skipped up to {@link #MAX_TITLE_ROWS}.
 */
final class HeaderSearch {
    static final int MAX_TITLE_ROWS = 4;
    private int titleRows;
    private List<String> closest;
    private int closestNamed = -1;

    /** The columns when {@code row} is the header; null for a blank or title row to skip. */
    Columns offer(List<String> row) throws CaseFileException {
        if (Columns.isBlank(row)) return null;
        Columns columns = Columns.ofHeader(row);
        if (columns != null) return columns;
        int named = Columns.named(row);
        if (named > closestNamed) {
            closest = new ArrayList<>(row);
            closestNamed = named;
        }
        if (++titleRows > MAX_TITLE_ROWS) throw notFound();
        return null;
    }

    /** No header within reach: names the columns missing from the row that came closest (all, when none named any). */
    CaseFileException notFound() {
        if (closestNamed > 0) {
            return new CaseFileException("missing column(s): " + String.join(", ", Columns.missing(closest))
                    + "; the header row must name them in Chinese or English");
        }
        return new CaseFileException("no header row in the first " + (MAX_TITLE_ROWS + 1) + " rows with text: it must "
                + "name the columns " + String.join(", ", Columns.missing(null)) + " in Chinese or English");
    }
}
