package org.screening.outreach.intake;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Stops a CSV record from growing past {@link #MAX_RECORD_CHARS}: commons-csv builds each field in memory, so one
 * stray quote in a file of hundreds of megabytes would read all of it into a single field (and run the heap out for
 * every request of the node) before failing at the end. Follows the quoting as commons-csv reads it (a quote opens a
 * field only as its first character; inside, a doubled quote is one quote) and counts the characters since the last
 * line break outside quotes.
 */
public final class RecordLengthGuard extends FilterReader {
    /** Longer than any list's record; an unclosed quote makes the rest of the file one field, held whole in memory. */
    public static final int MAX_RECORD_CHARS = 1_000_000;

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    private final char delimiter;
    private State state = State.FIELD_START;
    private long inRecord;
    private long line = 1;
    private long recordLine = 1;

    public RecordLengthGuard(Reader in, char delimiter) {
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
