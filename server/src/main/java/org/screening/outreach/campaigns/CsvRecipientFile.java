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
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, charset), 1 << 16)) {
                CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true)
                        .setDelimiter(delimiter(reader)).get();
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

    /**
     * A tab when the first line with text has tabs and no comma (Excel's "Unicode text" and most database exports
     * are tab-separated), else a comma. Looks at the first 64 kB only and leaves the reader where it was.
     */
    private static char delimiter(BufferedReader reader) throws IOException {
        reader.mark(1 << 16);
        try {
            char[] head = new char[1 << 16];
            int n = reader.read(head, 0, head.length);
            if (n <= 0) return ',';
            for (String line : new String(head, 0, n).split("\r?\n|\r")) {
                if (line.isBlank()) continue;
                return line.indexOf('\t') >= 0 && line.indexOf(',') < 0 ? '\t' : ',';
            }
            return ',';
        } finally {
            reader.reset();
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
