package org.screening.outreach.campaigns;

import org.screening.outreach.intake.CsvEncoding;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A recipients CSV read record by record with commons-csv: UTF-8 (with or without BOM) when the whole file decodes
 * as UTF-8, otherwise GB18030 (a superset of the GBK Excel on Chinese Windows writes) — the rule of the case import —
 * and UTF-16 when it starts with that byte-order mark; comma-separated, or tab-separated when the first line says so.
 */
final class CsvRecipientFile implements RecipientRows {
    private final Path path;

    CsvRecipientFile(Path path) {
        this.path = path;
    }

    @Override
    public void read(Sink sink) throws RecipientFileException {
        Charset charset = charset(path);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            CsvEncoding.skipUtf8Bom(in, charset); // UTF-16's decoder reads its byte-order mark itself
            char delimiter = delimiter(path, charset);
            try (BufferedReader reader = new BufferedReader(new RecordLengthGuard(new InputStreamReader(in, charset),
                    delimiter), 1 << 16)) {
                CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setDelimiter(delimiter).get();
                try (CSVParser parser = CSVParser.parse(reader, format)) {
                    read(parser, sink);
                }
            }
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

    /** Longer than any list's record; an unclosed quote makes the rest of the file one field, held whole in memory. */
    static final int MAX_RECORD_CHARS = 1_000_000;

    /**
     * Stops a record from growing past {@link #MAX_RECORD_CHARS}: commons-csv builds each field in memory, so one
     * stray quote in a file of hundreds of megabytes would read all of it into a single field (and run the heap out
     * for every request of the node) before failing at the end. Follows the quoting as commons-csv reads it (a quote
     * opens a field only as its first character; inside, a doubled quote is one quote) and counts the characters
     * since the last line break outside quotes.
     */
    private static final class RecordLengthGuard extends java.io.FilterReader {
        private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

        private final char delimiter;
        private State state = State.FIELD_START;
        private long inRecord;
        private long line = 1;
        private long recordLine = 1;

        RecordLengthGuard(java.io.Reader in, char delimiter) {
            super(in);
            this.delimiter = delimiter;
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            if (c >= 0) see((char) c);
            return c;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            for (int i = 0; i < n; i++) see(buf[off + i]);
            return n;
        }

        private void see(char c) throws IOException {
            boolean eol = c == '\n' || c == '\r';
            if (c == '\n') line++;
            boolean open = state == State.QUOTED;
            boolean ends = eol && !open; // a line break inside quotes is part of the field
            switch (state) {
                case QUOTED -> state = c == '"' ? State.QUOTE_IN_QUOTED : State.QUOTED;
                case QUOTE_IN_QUOTED -> state = c == '"' ? State.QUOTED
                        : c == delimiter || eol ? State.FIELD_START : State.UNQUOTED;
                case FIELD_START -> state = c == '"' ? State.QUOTED
                        : c == delimiter || eol ? State.FIELD_START : State.UNQUOTED;
                case UNQUOTED -> state = c == delimiter || eol ? State.FIELD_START : State.UNQUOTED;
            }
            if (ends) {
                inRecord = 0;
                recordLine = line;
                return;
            }
            if (++inRecord > MAX_RECORD_CHARS) {
                throw new IOException("the record starting on line " + recordLine + " is longer than " + MAX_RECORD_CHARS
                        + " characters" + (state == State.QUOTED ? " (a quote \" opened there is never closed)" : ""));
            }
        }
    }

    /**
     * A tab when the first line with text has tabs and no comma (Excel's "Unicode text" and most database exports
     * are tab-separated), else a comma. Looks at the first 64 kB only.
     */
    private static char delimiter(Path path, Charset charset) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            CsvEncoding.skipUtf8Bom(in, charset);
            char[] head = new char[1 << 16];
            int n = new InputStreamReader(in, charset).read(head, 0, head.length);
            if (n <= 0) return ',';
            for (String line : new String(head, 0, n).split("\\r?\\n|\\r")) {
                if (line.isBlank()) continue;
                return line.indexOf('\t') >= 0 && line.indexOf(',') < 0 ? '\t' : ',';
            }
            return ',';
        }
    }

    /**
     * UTF-16 when the file starts with its byte-order mark (Excel's "Unicode text"), else the import's rule
     * ({@link CsvEncoding}): UTF-8 when it all decodes as such, otherwise GB18030.
     */
    private static Charset charset(Path path) throws RecipientFileException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bom = in.readNBytes(2);
            if (bom.length == 2 && ((bom[0] & 0xff) == 0xFF && (bom[1] & 0xff) == 0xFE
                    || (bom[0] & 0xff) == 0xFE && (bom[1] & 0xff) == 0xFF)) {
                return StandardCharsets.UTF_16;
            }
        } catch (IOException e) {
            throw new RecipientFileException("the file cannot be read", e);
        }
        try {
            return CsvEncoding.detect(path);
        } catch (IOException e) {
            throw new RecipientFileException("the file cannot be read", e);
        }
    }
}
