package org.screening.outreach.web.api;

import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.screening.outreach.dispatch.CapacityCheck;
import org.screening.outreach.intake.CaseFile;
import org.screening.outreach.intake.CaseFileException;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.IntakeSummary;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/cases/import?source=…}: a CSV or XLSX body. The body streams to a spool file (never the
 * heap), is checked whole for damage, then imported in batches; the answer streams back from a spool file too.
 */
public final class ImportApi {
    private static final Logger log = LoggerFactory.getLogger(ImportApi.class);
    private final Vertx vertx;
    private final IntakeService intake;
    private final IntakeReplies replies;
    private final Blocking blocking;
    private final Path spoolDir;
    private final long maxBytes;
    private final IntakeCounters counters;
    private final CapacityCheck capacity;
    private final Clock clock;

    /** {@code capacity} is null on a node that runs no dispatcher. */
    public ImportApi(Vertx vertx, IntakeService intake, IntakeReplies replies, Blocking blocking, Path spoolDir,
                     long maxBytes, IntakeCounters counters, CapacityCheck capacity, Clock clock) {
        this.capacity = capacity;
        this.clock = clock;
        this.vertx = vertx;
        this.intake = intake;
        this.replies = replies;
        this.blocking = blocking;
        this.spoolDir = spoolDir;
        this.maxBytes = maxBytes;
        this.counters = counters;
    }

    public void handle(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        HttpServerRequest req = ctx.request();
        String type = req.getHeader("Content-Type") == null ? "" : req.getHeader("Content-Type").toLowerCase();
        if (type.startsWith("multipart/") || type.startsWith("application/json")) {
            refuseAfterBody(ctx, 415, "unsupported_media_type",
                    "send the CSV (text/csv) or XLSX file itself as the request body");
            return;
        }
        String source = req.getParam("source", "import");
        String sourceProblem = IntakeService.sourceProblem(source);
        if (sourceProblem != null) {
            refuseAfterBody(ctx, 400, "invalid_request", sourceProblem);
            return;
        }
        String declared = req.getHeader("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxBytes) {
            tooLarge(ctx);
            return;
        }
        Path body = spoolDir.resolve("import-" + UUID.randomUUID() + ".upload");
        vertx.fileSystem().mkdirs(spoolDir.toString())
                .compose(v -> vertx.fileSystem().open(body.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
                .onFailure(ctx::fail)
                .onSuccess(file -> receive(ctx, req, file, body, source, caller));
    }

    private void receive(RoutingContext ctx, HttpServerRequest req, AsyncFile file, Path body, String source,
                         Caller caller) {
        if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) req.response().writeContinue();
        long[] received = {0};
        boolean[] over = {false};
        req.handler(buf -> {
            if (over[0]) return;
            received[0] += buf.length();
            if (received[0] > maxBytes) {
                over[0] = true;
                file.close().onComplete(v -> delete(body));
                tooLarge(ctx);
                return;
            }
            file.write(buf);
            if (file.writeQueueFull()) {
                req.pause();
                file.drainHandler(v -> req.resume());
            }
        });
        req.exceptionHandler(e -> {
            file.close().onComplete(v -> delete(body));
            log.info("import upload broke off: {}", e.getMessage());
        });
        req.endHandler(v -> {
            if (over[0]) return;
            file.close().onFailure(ctx::fail).onSuccess(x -> importFile(ctx, body, source, caller));
        });
        req.resume();
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
                delete(body);
            }
        }).onComplete(ar -> {
            if (ar.failed()) {
                delete(answer);
                ctx.fail(ar.cause());
            } else if (ar.result() != null) {
                delete(answer);
                Replies.error(ctx, 400, "invalid_file", ar.result());
            } else {
                ctx.response().putHeader("Content-Type", "application/json; charset=utf-8")
                        .sendFile(answer.toString()).onComplete(x -> delete(answer));
            }
        });
    }

    /**
     * Answers once the body has been read and dropped: a client still sending its file does not read an early
     * answer, and with the body left unread both sides would wait for ever. A body past the import limit is not
     * worth reading: the answer is the 413, and the connection closes.
     */
    private void refuseAfterBody(RoutingContext ctx, int status, String error, String message) {
        HttpServerRequest req = ctx.request();
        long[] received = {0};
        req.handler(buf -> {
            received[0] += buf.length();
            if (received[0] > maxBytes && !ctx.response().ended()) tooLarge(ctx);
        });
        req.endHandler(v -> {
            if (!ctx.response().ended()) Replies.error(ctx, status, error, message);
        });
        req.resume();
    }

    /**
     * 413, then the connection closes: the rest of the file is not read. A client that asked "Expect:
     * 100-continue" (curl does for large files) gets the answer before sending anything.
     */
    private static void tooLarge(RoutingContext ctx) {
        ctx.response().putHeader("Connection", "close");
        Replies.error(ctx, 413, "payload_too_large", "the file is larger than the configured import limit");
        ctx.request().connection().close();
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("cannot delete spool file {}: {}", p.getFileName(), e.getMessage());
        }
    }
}
