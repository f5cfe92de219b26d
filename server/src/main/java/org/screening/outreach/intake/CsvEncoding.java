package org.screening.outreach.intake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The encoding of an uploaded CSV (case imports, campaign recipients): UTF-16 when the file starts with that
 * byte-order mark (Excel's "Unicode text"), else UTF-8 when the whole file decodes as UTF-8, else GB18030 (a superset
 * of GBK, what Excel on Chinese Windows writes). Read in 64 kB steps, never whole.
 */
public final class CsvEncoding {
    public static final Charset GB18030 = Charset.forName("GB18030");

    private CsvEncoding() {}

    public static Charset detect(Path path) throws IOException {
        if (startsWithUtf16Bom(path)) return StandardCharsets.UTF_16; // its decoder reads the mark and the byte order
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
                    if (in.hasRemaining()) return GB18030; // file ends inside a UTF-8 sequence
                    return utf8.flush(out).isError() ? GB18030 : StandardCharsets.UTF_8;
                }
            }
        } catch (CharacterCodingException e) {
            return GB18030;
        }
    }

    private static boolean startsWithUtf16Bom(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            byte[] b = in.readNBytes(2);
            return b.length == 2 && ((b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xFE
                    || (b[0] & 0xff) == 0xFE && (b[1] & 0xff) == 0xFF);
        }
    }

    /** Steps over a UTF-8 byte-order mark (Excel writes one); {@code in} must support mark/reset. */
    public static void skipUtf8Bom(InputStream in, Charset charset) throws IOException {
        if (!charset.equals(StandardCharsets.UTF_8)) return;
        in.mark(3);
        byte[] b = in.readNBytes(3);
        if (!(b.length == 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF)) in.reset();
    }
}
