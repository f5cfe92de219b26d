package org.screening.outreach.campaigns;

import org.screening.outreach.intake.CsvEncoding;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A recipients CSV read record by record with commons-csv: UTF-8 (with or without BOM) when the whole file decodes
 * as UTF-8, otherwise GB18030 (a superset of the GBK Excel on Chinese Windows writes) — the rule of the case import.
 */
final class CsvRecipientFile implements RecipientRows {
    private final Path path;

    CsvRecipientFile(Path path) {
        this.path = path;
    }

    @Override
    public void read(Sink sink) throws RecipientFileException {
        Charset charset = charset(path);
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            CsvEncoding.skipUtf8Bom(in, charset);
            try (Reader reader = new InputStreamReader(in, charset); CSVParser parser = CSVParser.parse(reader, format)) {
                PhoneColumn.Layout layout = null;
                int row = 0;
                for (CSVRecord record : parser) {
                    List<String> cells = record.toList();
                    if (layout == null) {
                        if (PhoneColumn.isBlank(cells)) continue;
                        layout = PhoneColumn.Layout.of(cells);
                        if (!layout.firstRowIsData()) continue;
                    }
                    row++;
                    if (!PhoneColumn.isBlank(cells)) sink.row(row, PhoneColumn.cell(cells, layout.column()));
                }
                if (layout == null) throw new RecipientFileException("the file has no rows");
            }
        } catch (UncheckedIOException e) {
            throw new RecipientFileException("the CSV cannot be read: " + e.getCause().getMessage(), e);
        } catch (IOException e) {
            throw new RecipientFileException("the CSV cannot be read: " + e.getMessage(), e);
        }
    }


    private static Charset charset(Path path) throws RecipientFileException {
        try {
            return CsvEncoding.detect(path);
        } catch (IOException e) {
            throw new RecipientFileException("the file cannot be read", e);
        }
    }
}
