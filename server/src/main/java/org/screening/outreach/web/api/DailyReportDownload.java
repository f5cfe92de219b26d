package org.screening.outreach.web.api;

import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.screening.outreach.domain.DailyReport;
import org.screening.outreach.ledger.export.DailyReportSheet;
import org.screening.outreach.ledger.export.ExportFormat;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Downloads;

/**
 * The daily report as an XLSX download ({@code format=xlsx}, or an Accept header asking for XLSX): the figures of the
 * JSON answer under Chinese headers, with a total row. JSON stays the default.
 */
final class DailyReportDownload {
    private DailyReportDownload() {}

    /** True for XLSX, false for JSON, null for a format that is neither. */
    static Boolean wanted(RoutingContext ctx) {
        String format = ctx.queryParams().get("format");
        if (format != null && !format.isBlank()) {
            return switch (format.strip().toLowerCase(Locale.ROOT)) {
                case "xlsx" -> Boolean.TRUE;
                case "json" -> Boolean.FALSE;
                default -> null;
            };
        }
        String accept = ctx.request().getHeader("Accept");
        return accept != null && accept.contains(ExportFormat.XLSX.contentType());
    }

    /** Reads the report and builds the sheet on a worker (the sheet goes through temporary files), then sends it. */
    static void send(RoutingContext ctx, Blocking blocking, Callable<DailyReport> report) {
        blocking.run(() -> {
            DailyReport r = report.call();
            return new Sheet(DailyReportSheet.fileName(r), DailyReportSheet.xlsx(r), r.rows().size() + 1);
        }).onSuccess(s -> Downloads.bytes(ctx, s.bytes(), ExportFormat.XLSX.contentType(), s.fileName(), s.rows()))
                .onFailure(ctx::fail);
    }

    private record Sheet(String fileName, byte[] bytes, long rows) {}
}
