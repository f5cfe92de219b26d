package org.screening.outreach.ledger.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipFile;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.store.JdbcLedgerExport;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * Paging through the cases of a jurisdiction: every case's events exactly once, in order, whatever the page size;
 * and 100,000 events written a page at a time (never more than one page of events held), in a few seconds.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class LedgerExportPagingTest {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Instant NOON = LocalDate.of(2022, 5, 10).atTime(12, 0).atZone(ZONE).toInstant();
    static final ExportRange DAY = new ExportRange("5101", LocalDate.of(2022, 5, 10), LocalDate.of(2022, 5, 10));

    @Test
    void pagesOfAnySizeGiveTheSameRowsOncePerEvent(TestDb db, @TempDir Path spool) throws Exception {
        // 120 cases over 50 communities (the test intake spreads them), 3 events each on the day.
        List<String> ids = new Cases(db.database(), new MutableClock(NOON)).pushMany("红码", 120, true);
        insertEvents(db, ids, 2, NOON.plusSeconds(60));
        LedgerExportStore store = new JdbcLedgerExport(db.database());
        List<List<String>> big = rows(new LedgerExports(store, (k, f) -> f, spool, ZONE, new MutableClock(NOON), 1000)
                .write(DAY, ExportFormat.CSV, "test"));
        List<List<String>> small = rows(new LedgerExports(store, (k, f) -> f, spool, ZONE, new MutableClock(NOON), 7)
                .write(DAY, ExportFormat.CSV, "test"));
        assertThat(big).hasSize(1 + 360).isEqualTo(small);
        Set<String> seen = new HashSet<>();
        String previous = "";
        for (List<String> row : big.subList(1, big.size())) {
            String key = row.get(1) + "/" + row.get(0);
            assertThat(key.compareTo(previous)).as("ordered by community, then case").isGreaterThanOrEqualTo(0);
            previous = key;
            seen.add(row.get(0));
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void aHundredThousandEventsAreWrittenAPageAtATime(TestDb db, @TempDir Path spool) throws Exception {
        Instant day = NOON.plusSeconds(86_400 * 3);
        List<String> ids = new Cases(db.database(), new MutableClock(day)).pushMany("黄码", 5_000, true);
        insertEvents(db, ids, 19, day.plusSeconds(1));
        AtomicInteger pages = new AtomicInteger();
        AtomicInteger largest = new AtomicInteger();
        JdbcLedgerExport jdbc = new JdbcLedgerExport(db.database());
        LedgerExportStore counting = (prefix, from, to, after, cases) -> {
            LedgerExportStore.Page p = jdbc.page(prefix, from, to, after, cases);
            pages.incrementAndGet();
            largest.accumulateAndGet(p.events().size(), Math::max);
            return p;
        };
        ExportRange range = new ExportRange("5101", LocalDate.ofInstant(day, ZONE), LocalDate.ofInstant(day, ZONE));
        long started = System.nanoTime();
        LedgerExports.ExportFile file = new LedgerExports(counting, (k, f) -> f, spool, ZONE, new MutableClock(day))
                .write(range, ExportFormat.XLSX, "test");
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(file.rows()).isEqualTo(100_000);
        // 5,000 cases by 500, and one more page that finds the end (or holds the other test's 120, outside the day).
        assertThat(pages.get()).isEqualTo(11);
        assertThat(largest.get()).isLessThanOrEqualTo(500 * 20);
        try (ZipFile zip = new ZipFile(file.path().toFile())) {
            assertThat(zip.getEntry("xl/worksheets/sheet1.xml")).isNotNull();
        }
        assertThat(millis).as("export time in ms").isLessThan(30_000);
        Files.delete(file.path());
    }

    /** {@code perCase} more events for each case, a second apart from {@code first}, in batches. */
    static void insertEvents(TestDb db, List<String> ids, int perCase, Instant first) throws SQLException {
        try (Connection c = db.database().connection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO ledger_events (case_id, type, at, actor, data) VALUES (?, ?, ?, ?, ?)")) {
            int n = 0;
            for (String id : ids) {
                for (int i = 0; i < perCase; i++) {
                    ps.setString(1, id);
                    ps.setString(2, "CALL_NO_ANSWER");
                    ps.setTimestamp(3, Timestamp.from(first.plusSeconds(i)));
                    ps.setString(4, "dispatcher");
                    ps.setString(5, "{\"attempt\":" + i + ",\"note\":\"第" + i + "次\"}");
                    ps.addBatch();
                    if (++n % 5_000 == 0) ps.executeBatch();
                }
            }
            ps.executeBatch();
        }
    }

    static List<List<String>> rows(LedgerExports.ExportFile file) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file.path(), StandardCharsets.UTF_8)) {
            assertThat(r.read()).isEqualTo(CsvTable.BOM);
            for (CSVRecord rec : CSVFormat.RFC4180.parse(r)) out.add(rec.toList());
        }
        Files.delete(file.path());
        return out;
    }
}
