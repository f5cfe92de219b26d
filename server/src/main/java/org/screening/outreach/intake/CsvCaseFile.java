package org.screening.outreach.intake;

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
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * CSV in UTF-8 (with or without BOM) or GBK/GB18030, the encoding Excel on Chinese Windows writes.
 * The encoding is UTF-8 when the whole file decodes as UTF-8, otherwise GB18030 (a superset of GBK).
 */
final class CsvCaseFile implements CaseFile {
    private final Path path;
    /** Found at the first read: an import reads the file twice, and finding it decodes the whole file once. */
    private Charset charset;

    CsvCaseFile(Path path) {
        this.path = path;
    }

    @Override
    public void read(Consumer<CaseSubmission> rows) throws CaseFileException {
        if (charset == null) charset = charset(path);
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            CsvEncoding.skipUtf8Bom(in, charset);
            try (Reader reader = new InputStreamReader(in, charset); CSVParser parser = CSVParser.parse(reader, format)) {
                Columns columns = null;
                int row = 0;
                for (CSVRecord record : parser) {
                    List<String> cells = record.toList();
                    if (columns == null) {
                        if (Columns.isBlank(cells)) continue;
                        columns = Columns.fromHeader(cells);
                        continue;
                    }
                    row++;
                    if (!Columns.isBlank(cells)) rows.accept(columns.toSubmission(row, cells));
                }
                if (columns == null) throw new CaseFileException("the file has no header row");
            }
        } catch (UncheckedIOException e) {
            throw new CaseFileException("the CSV cannot be read: " + rootMessage(e), e);
        } catch (IOException e) {
            throw new CaseFileException("the CSV cannot be read: " + e.getMessage(), e);
        }
    }

    private static Charset charset(Path path) throws CaseFileException {
        try {
            return CsvEncoding.detect(path);
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
