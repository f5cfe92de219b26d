package org.screening.outreach.campaigns;

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
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A recipients CSV read record by record with commons-csv: UTF-8 (with or without BOM) when the whole file decodes
 * as UTF-8, otherwise GB18030 (a superset of the GBK Excel on Chinese Windows writes) — the rule of the case import.
 */
final class CsvRecipientFile implements RecipientRows {
    private static final Charset GB18030 = Charset.forName("GB18030");
    private final Path path;

    CsvRecipientFile(Path path) {
        this.path = path;
    }

    @Override
    public void read(Sink sink) throws RecipientFileException {
        Charset charset = detectCharset(path);
        CSVFormat format = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).get();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            skipUtf8Bom(in, charset);
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

    private static Charset detectCharset(Path path) throws RecipientFileException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        try (var ch = Files.newByteChannel(path)) {
            while (true) {
                int n = ch.read(in);
                in.flip();
                if (utf8.decode(in, out, n < 0).isError()) return GB18030;
                out.clear();
                in.compact();
                if (n < 0) {
                    in.flip();
                    return in.hasRemaining() || utf8.flush(out).isError() ? GB18030 : StandardCharsets.UTF_8;
                }
            }
        } catch (CharacterCodingException e) {
            return GB18030;
        } catch (IOException e) {
            throw new RecipientFileException("the file cannot be read", e);
        }
    }

    private static void skipUtf8Bom(InputStream in, Charset charset) throws IOException {
        if (!charset.equals(StandardCharsets.UTF_8)) return;
        in.mark(3);
        byte[] b = in.readNBytes(3);
        if (!(b.length == 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF)) in.reset();
    }
}
