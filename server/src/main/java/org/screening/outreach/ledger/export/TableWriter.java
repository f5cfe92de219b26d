package org.screening.outreach.ledger.export;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes an exported table row by row without holding it: a header row of {@link Column#header()}s, then cells that
 * are text, whole numbers, local date-times or null.
 */
public interface TableWriter extends Closeable {

    void row(List<?> cells) throws IOException;

    /** Completes the file on the stream given at opening (an XLSX is assembled here). */
    void finish() throws IOException;

    /** Frees what the writer holds (an XLSX's temporary files); does not close the stream. */
    @Override
    void close() throws IOException;

    /** {@code title} names the XLSX sheet; CSV has no place for it. */
    static TableWriter open(ExportFormat format, OutputStream out, String title, List<Column> columns) throws IOException {
        return switch (format) {
            case XLSX -> new XlsxTable(out, title, columns, XlsxTable.MAX_ROWS_PER_SHEET);
            case CSV -> new CsvTable(out, columns);
        };
    }
}
