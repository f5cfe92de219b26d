package org.screening.outreach.ledger.export;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ledger exports (台账导出): every event of the cases of a jurisdiction within a day range, one row each, written to a
 * file in the spool directory a page of cases at a time, so memory stays flat however big the county. The caller
 * sends the file and deletes it. Each export leaves one line in the log — who, which scope and days, how many rows —
 * and nothing about the people in it.
 *
 * <p>Why a file and not straight to the socket: an XLSX cannot start before its last row (POI zips the workbook at
 * the end), a file lets the HTTP layer send it without tying up a database worker for as long as a slow client reads,
 * and a failure half way answers an error instead of a cut-off file that looks complete.
 */
public final class LedgerExports {
    private static final Logger log = LoggerFactory.getLogger(LedgerExports.class);
    static final String FILE_PREFIX = "ledger-export-";
    /** Files of exports that died with their server are removed when this old. */
    private static final Duration LEFTOVER = Duration.ofDays(1);
    private final LedgerExportStore store;
    private final LedgerColumns columns;
    private final Path spoolDir;
    private final ZoneId zone;
    private final Clock clock;
    private final int casesPerPage;

    public LedgerExports(LedgerExportStore store, Labels labels, Path spoolDir, ZoneId zone, Clock clock) {
        this(store, labels, spoolDir, zone, clock, 500);
    }

    LedgerExports(LedgerExportStore store, Labels labels, Path spoolDir, ZoneId zone, Clock clock, int casesPerPage) {
        this.store = store;
        this.columns = new LedgerColumns(labels, zone);
        this.spoolDir = spoolDir;
        this.zone = zone;
        this.clock = clock;
        this.casesPerPage = casesPerPage;
    }

    /** A written export: the file to send (then delete) and how many events it holds. */
    public record ExportFile(Path path, long rows) {}

    /** Blocking (database and disk): run it on a worker. {@code actor} is who asked, for the log. */
    public ExportFile write(ExportRange range, ExportFormat format, String actor) throws IOException {
        Files.createDirectories(spoolDir);
        removeLeftovers();
        Path file = spoolDir.resolve(FILE_PREFIX + UUID.randomUUID() + "." + format.extension());
        long rows = 0;
        Instant from = range.start(zone);
        Instant to = range.end(zone);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), 64 * 1024);
             TableWriter table = TableWriter.open(format, out, "台账 " + range.from() + "至" + range.to(),
                     LedgerColumns.COLUMNS)) {
            LedgerExportStore.CaseKey after = null;
            do {
                LedgerExportStore.Page page = store.page(range.jurisdictionPrefix(), from, to, after, casesPerPage);
                for (ExportedEvent e : page.events()) {
                    table.row(columns.cells(e));
                    rows++;
                }
                after = page.next();
            } while (after != null);
            table.finish();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        log.info("ledger export by {}: jurisdiction {}, {} to {}, {}: {} rows", actor,
                range.jurisdictionPrefix().isEmpty() ? "(all)" : range.jurisdictionPrefix(), range.from(), range.to(),
                format.extension(), rows);
        return new ExportFile(file, rows);
    }

    private void removeLeftovers() {
        Instant before = clock.instant().minus(LEFTOVER);
        try (DirectoryStream<Path> old = Files.newDirectoryStream(spoolDir, FILE_PREFIX + "*")) {
            for (Path p : old) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(before)) Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("old export files in {} not removed: {}", spoolDir, e.getMessage());
        }
    }
}
