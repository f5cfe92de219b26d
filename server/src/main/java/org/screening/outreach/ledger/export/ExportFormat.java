package org.screening.outreach.ledger.export;

import java.util.Locale;
import java.util.Optional;

/** The file formats of an export: what a spreadsheet opens, with its HTTP content type and file extension. */
public enum ExportFormat {
    XLSX("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    CSV("text/csv; charset=utf-8", "csv");

    private final String contentType;
    private final String extension;

    ExportFormat(String contentType, String extension) {
        this.contentType = contentType;
        this.extension = extension;
    }

    public String contentType() {
        return contentType;
    }

    public String extension() {
        return extension;
    }

    /**
     * {@code format=xlsx|csv} when given (empty if it is neither); otherwise CSV when the Accept header asks for
     * {@code text/csv}, and XLSX by default.
     */
    public static Optional<ExportFormat> parse(String format, String accept) {
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "xlsx" -> Optional.of(XLSX);
                case "csv" -> Optional.of(CSV);
                default -> Optional.empty();
            };
        }
        return Optional.of(accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv") ? CSV : XLSX);
    }
}
