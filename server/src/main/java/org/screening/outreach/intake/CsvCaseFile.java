package org.screening.outreach.intake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
    static final Charset GB18030 = Charset.forName("GB18030");
    private final Path path;

    CsvCaseFile(Path path) {
        this.path = path;
    }

    @Override
    public void read(Consumer<CaseSubmission> rows) throws CaseFileException {
        Charset charset = detectCharset(path);
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            skipUtf8Bom(in, charset);
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

    static Charset detectCharset(Path path) throws CaseFileException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        try (var ch = Files.newByteChannel(path)) {
            while (true) {
                int n = ch.read(in);
                in.flip();
                var result = utf8.decode(in, out, n < 0);
                if (result.isError()) return GB18030;
                out.clear();
                in.compact();
                if (n < 0) {
                    in.flip();
                    if (in.hasRemaining()) return GB18030; // file ends inside a UTF-8 sequence
                    return utf8.flush(out).isError() ? GB18030 : StandardCharsets.UTF_8;
                }
            }
        } catch (CharacterCodingException e) {
            return GB18030;
        } catch (IOException e) {
            throw new CaseFileException("the file cannot be read", e);
        }
    }

    private static void skipUtf8Bom(InputStream in, Charset charset) throws IOException {
        if (!charset.equals(StandardCharsets.UTF_8)) return;
        in.mark(3);
        byte[] b = in.readNBytes(3);
        if (!(b.length == 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF)) in.reset();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
