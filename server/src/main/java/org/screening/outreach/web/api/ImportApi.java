package org.screening.outreach.web.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.screening.outreach.dispatch.CapacityCheck;
import org.screening.outreach.intake.CaseFile;
import org.screening.outreach.intake.CaseFileException;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.IntakeSummary;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;

/**
 * {@code POST /api/v1/cases/import?source=…}: a CSV or XLSX body. The body streams to a spool file (never the
 * heap), is checked whole for damage, then imported in batches; the answer streams back from a spool file too.
 */
public final class ImportApi {
    private final Uploads uploads;
    private final IntakeService intake;
    private final IntakeReplies replies;
    private final Blocking blocking;
    private final IntakeCounters counters;
    private final CapacityCheck capacity;
    private final Clock clock;

    /** {@code capacity} is null on a node that runs no dispatcher. */
    public ImportApi(Vertx vertx, IntakeService intake, IntakeReplies replies, Blocking blocking, Path spoolDir,
                     long maxBytes, IntakeCounters counters, CapacityCheck capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
        this.uploads = new Uploads(vertx, spoolDir, maxBytes);
        this.intake = intake;
        this.replies = replies;
        this.blocking = blocking;
        this.counters = counters;
    }

    /**
     * The source of an import that names none: the importer's jurisdiction. External ids are unique per source, and
     * community lists number their rows 1..N: one shared default made another community's row 1 a "duplicate".
     */
    public static String defaultSource(String jurisdictionPrefix) {
        return "import:" + (jurisdictionPrefix.isEmpty() ? "province" : jurisdictionPrefix);
    }

    public void handle(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        HttpServerRequest req = ctx.request();
        String type = req.getHeader("Content-Type") == null ? "" : req.getHeader("Content-Type").toLowerCase();
        if (type.startsWith("multipart/") || type.startsWith("application/json")) {
            uploads.refuseAfterBody(ctx, 415, "unsupported_media_type",
                    "send the CSV (text/csv) or XLSX file itself as the request body");
            return;
        }
        String source = req.getParam("source", defaultSource(caller.jurisdictionPrefix()));
        String sourceProblem = IntakeService.sourceProblem(source);
        if (sourceProblem != null) {
            uploads.refuseAfterBody(ctx, 400, "invalid_request", sourceProblem);
            return;
        }
        uploads.spool(ctx, "import", body -> importFile(ctx, body, source, caller));
    }

    private void importFile(RoutingContext ctx, Path body, String source, Caller caller) {
        Path answer = body.resolveSibling(body.getFileName() + ".json");
        Instant started = clock.instant();
        blocking.run(() -> {
            try (IntakeReplies.Spooled spool = replies.spool(answer)) {
                IntakeSummary summary = intake.ingestFile(CaseFile.open(body), source, caller.jurisdictionPrefix(),
                        caller.actor(), spool);
                counters.count(summary);
                spool.finish(summary, capacity == null ? null : capacity.afterIntake(source, started));
                return (String) null;
            } catch (CaseFileException e) {
                return e.getMessage();
            } finally {
                Uploads.delete(body);
            }
        }).onComplete(ar -> {
            if (ar.failed()) {
                Uploads.delete(answer);
                ctx.fail(ar.cause());
            } else if (ar.result() != null) {
                Uploads.delete(answer);
                Replies.error(ctx, 400, "invalid_file", ar.result());
            } else {
                ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                        .sendFile(answer.toString()).onComplete(x -> Uploads.delete(answer));
            }
        });
    }

}
