package org.screening.outreach.ledger.export;

import java.time.Instant;
import java.util.List;

/** Reads the ledger for an export a page of cases at a time, so no export holds more than a page in memory. */
public interface LedgerExportStore {

    /** Where a page ended: the last case read, in (jurisdiction, id) order. */
    record CaseKey(String jurisdiction, String id) {}

    /** The events of one page of cases; {@code next} is null after the last page. */
    record Page(List<ExportedEvent> events, CaseKey next) {}

    /**
     * The next {@code cases} cases under {@code jurisdictionPrefix} after {@code after} (null: from the first), in
     * (jurisdiction, case id) order, and their events with {@code from <= at < to}, each case's in ledger order.
     */
    Page page(String jurisdictionPrefix, Instant from, Instant to, CaseKey after, int cases);
}
