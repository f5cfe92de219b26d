package org.screening.outreach.intake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV in UTF-8 (with or without BOM), GBK/GB18030 (what Excel on Chinese Windows writes) or UTF-16 with its
 * byte-order mark (Excel's "Unicode text"); comma- or tab-separated ({@link CsvDialect}); title rows above the header
 * skipped ({@link HeaderSearch}); no record longer than {@link RecordLengthGuard#MAX_RECORD_CHARS}.
 */
final class CsvCaseFile implements CaseFile {
    private final Path path;
    /** Found at the first read: an import reads the file twice, and finding it decodes the whole file once. */
    private CsvDialect dialect;

    CsvCaseFile(Path path) {
        this.path = path;
    }

    @Override
    public void read(Consumer<CaseSubmission> rows) throws CaseFileException {
        if (dialect == null) dialect = dialect(path);
        try (CSVParser parser = dialect.parse(path)) {
            HeaderSearch header = new HeaderSearch();
            Columns columns = null;
            int row = 0;
            for (CSVRecord record : parser) {
                List<String> cells = record.toList();
                if (columns == null) {
                    columns = header.offer(cells);
                    continue;
                }
                row++;
                if (!Columns.isBlank(cells)) rows.accept(columns.toSubmission(row, cells));
            }
            if (columns == null) throw header.notFound();
        } catch (UncheckedIOException e) {
            throw new CaseFileException("the CSV cannot be read: " + rootMessage(e), e);
        } catch (IOException e) {
            throw new CaseFileException("the CSV cannot be read: " + e.getMessage(), e);
        }
    }

    private static CsvDialect dialect(Path path) throws CaseFileException {
        try {
            return CsvDialect.of(path);
        } catch (IOException e) {
            throw new CaseFileException("the file cannot be read", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
