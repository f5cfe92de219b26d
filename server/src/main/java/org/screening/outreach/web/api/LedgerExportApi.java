package org.screening.outreach.web.api;

import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import org.screening.outreach.ledger.export.ExportFormat;
import org.screening.outreach.ledger.export.ExportRange;
import org.screening.outreach.ledger.export.LedgerExports;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Downloads;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/**
 * {@code GET /api/v1/ledger/export?jurisdiction=510104&from=2022-04-01&to=2022-04-07&format=xlsx|csv}: every ledger
 * event of the jurisdiction's cases in those days (deployment zone), as a file. The jurisdiction defaults to the
 * token's scope and may not leave or widen it (403, {@link ReportScope}); days default to today, at most
 * {@link ExportRange#MAX_DAYS} of them.
 */
public final class LedgerExportApi {
    private final LedgerExports exports;
    private final Blocking blocking;
    private final ZoneId zone;
    private final Clock clock;

    public LedgerExportApi(LedgerExports exports, Blocking blocking, ZoneId zone, Clock clock) {
        this.exports = exports;
        this.blocking = blocking;
        this.zone = zone;
        this.clock = clock;
    }

    public void export(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        Optional<ExportFormat> format = ExportFormat.parse(ctx.queryParams().get("format"),
                ctx.request().getHeader("Accept"));
        if (format.isEmpty()) {
            Replies.error(ctx, 400, "invalid_request", "format must be xlsx or csv");
            return;
        }
        String jurisdiction = ReportScope.of(ctx, caller, ctx.queryParams().get("jurisdiction"));
        if (jurisdiction == null) return;
        ExportRange range;
        try {
            range = ExportRange.parse(jurisdiction, ctx.queryParams().get("from"), ctx.queryParams().get("to"),
                    LocalDate.ofInstant(clock.instant(), zone));
        } catch (IllegalArgumentException e) {
            Replies.error(ctx, 400, "invalid_request", e.getMessage());
            return;
        }
        ExportFormat f = format.get();
        blocking.run(() -> exports.write(range, f, caller.actor()))
                .onSuccess(file -> Downloads.file(ctx, file.path(), f.contentType(), range.fileName(f), file.rows()))
                .onFailure(ctx::fail);
    }
}
