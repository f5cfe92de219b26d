package org.screening.outreach.ledger;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.CaseStatus;

/**
 * Cases by status across the whole shared database: counted by one node for all ({@link CountCasesJob}) and kept,
 * so that every node's {@code /metrics} reads the last count instead of counting at each scrape.
 */
public interface CaseCounts {
    /** Cases by status (every status, zero included) as counted from {@code at}. */
    record Counted(Map<CaseStatus, Long> byStatus, Instant at) {}

    /** Counts every case now: a pass over the whole status index, so not something to do per scrape and node. */
    Map<CaseStatus, Long> countNow();

    /** Keeps a count for every node to read; replaces the one kept before. */
    void save(Counted counted);

    /** The count kept last, or empty before the first is saved. */
    Optional<Counted> latest();
}
