package org.screening.outreach.sms;

/** A template that cannot be used: bad syntax, an undocumented variable or a failed render; names file and line. */
public final class TemplateException extends RuntimeException {
    private final String file;
    private final int line;

    public TemplateException(String file, int line, String message, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    /** 1-based; 0 when the problem has no line (a missing file or language). */
    public int line() {
        return line;
    }
}
