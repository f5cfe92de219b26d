package org.screening.outreach.intake;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;

/**
 * How an uploaded CSV is written, as the case import and the campaign recipients read it: its encoding
 * ({@link CsvEncoding}) and its delimiter, a comma or a tab (Excel's "Unicode text" and most database exports).
 */
public record CsvDialect(Charset charset, char delimiter) {
    private static final int HEAD_CHARS = 1 << 16;

    public static CsvDialect of(Path path) throws IOException {
        Charset charset = CsvEncoding.detect(path);
        return new CsvDialect(charset, delimiter(path, charset));
    }

    /**
     * The file's records, read as they are iterated; none may grow past {@link RecordLengthGuard#MAX_RECORD_CHARS}
     * (iterating then throws an {@link java.io.UncheckedIOException} naming the line the record starts on).
     */
    public CSVParser parse(Path path) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
        try {
            Reader reader = new BufferedReader(new RecordLengthGuard(text(in, charset), delimiter), 1 << 16);
            return CSVParser.parse(reader, CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).setDelimiter(delimiter).get());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private static Reader text(InputStream in, Charset charset) throws IOException {
        CsvEncoding.skipUtf8Bom(in, charset); // UTF-16's decoder reads its byte-order mark itself
        return new InputStreamReader(in, charset);
    }

    /**
     * A tab when the first line with a tab or a comma has tabs and no comma, else a comma. Lines with neither are
     * skipped: they are title rows above the header (a list's name, its export date) or a bare list of numbers.
     * Looks at the first 64 kB only.
     */
    private static char delimiter(Path path, Charset charset) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            Reader text = text(in, charset);
            char[] head = new char[HEAD_CHARS];
            int n = 0;
            for (int r; n < head.length && (r = text.read(head, n, head.length - n)) >= 0; ) n += r;
            for (String line : new String(head, 0, n).split("\\r?\\n|\\r")) {
                boolean tab = line.indexOf('\t') >= 0;
                boolean comma = line.indexOf(',') >= 0;
                if (tab || comma) return tab && !comma ? '\t' : ',';
            }
            return ',';
        }
    }
}
