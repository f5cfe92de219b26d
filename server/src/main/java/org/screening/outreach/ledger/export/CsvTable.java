package org.screening.outreach.ledger.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A CSV table in UTF-8 with a byte order mark: without it Excel on a Chinese Windows reads the file as GBK and shows
 * mojibake. Quoting is commons-csv's (RFC 4180, CRLF). A cell starting with = + - @ or a tab gets a leading
 * apostrophe, so a name or note typed as a formula stays text when the file is opened in a spreadsheet.
 */
final class CsvTable implements TableWriter {
    static final char BOM = '\uFEFF';
    private final BufferedWriter writer;
    private final CSVPrinter printer;

    CsvTable(OutputStream out, List<Column> columns) throws IOException {
        writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
        writer.write(BOM);
        printer = new CSVPrinter(writer, CSVFormat.RFC4180);
        printer.printRecord(columns.stream().map(Column::header).toList());
    }

    @Override
    public void row(List<?> cells) throws IOException {
        List<String> out = new ArrayList<>(cells.size());
        for (Object v : cells) {
            if (v == null) out.add("");
            else if (v instanceof LocalDateTime t) out.add(EventText.LOCAL_TIME.format(t));
            else if (v instanceof Number n) out.add(n.toString());
            else out.add(text(v.toString()));
        }
        printer.printRecord(out);
    }

    static String text(String s) {
        if (s.isEmpty()) return s;
        char first = s.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r' ? "'" + s : s;
    }

    @Override
    public void finish() throws IOException {
        printer.flush();
        writer.flush();
    }

    @Override
    public void close() {
        // The stream belongs to the caller; nothing else is held.
    }
}
