package org.screening.outreach.campaigns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.screening.outreach.intake.CsvDialect;

/**
 * A recipients CSV read record by record with commons-csv, in the encodings and delimiters of the case import
 * ({@link CsvDialect}: UTF-16 with its byte-order mark, UTF-8, GB18030; commas or tabs), no record longer than
 * {@link org.screening.outreach.intake.RecordLengthGuard#MAX_RECORD_CHARS}.
 */
final class CsvRecipientFile implements RecipientRows {
    private final Path path;

    CsvRecipientFile(Path path) {
        this.path = path;
    }

    @Override
    public void read(Sink sink) throws RecipientFileException {
        CsvDialect dialect;
        try {
            dialect = CsvDialect.of(path);
        } catch (IOException e) {
            throw new RecipientFileException("the file cannot be read", e);
        }
        try (CSVParser parser = dialect.parse(path)) {
            read(parser, sink);
        } catch (UncheckedIOException e) {
            throw new RecipientFileException("the CSV cannot be read: " + e.getCause().getMessage(), e);
        } catch (IOException e) {
            throw new RecipientFileException("the CSV cannot be read: " + e.getMessage(), e);
        }
    }

    private static void read(CSVParser parser, Sink sink) throws RecipientFileException {
        PhoneColumn.Layout layout = null;
        int titleRows = 0;
        int row = 0;
        for (CSVRecord record : parser) {
            List<String> cells = record.toList();
            if (layout == null) {
                if (PhoneColumn.isBlank(cells)) continue;
                layout = PhoneColumn.Layout.of(cells, titleRows);
                if (layout == null) {
                    titleRows++;
                    continue;
                }
                if (!layout.firstRowIsData()) continue;
            }
            row++;
            if (!PhoneColumn.isBlank(cells)) sink.row(row, PhoneColumn.cell(cells, layout.column()));
        }
        if (layout == null) throw titleRows > 0 ? PhoneColumn.noPhoneColumn() : new RecipientFileException("the file has no rows");
    }
}
