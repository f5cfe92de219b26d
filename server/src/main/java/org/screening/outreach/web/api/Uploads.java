package org.screening.outreach.web.api;

import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;
import org.screening.outreach.web.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File uploads sent as the request body itself (case imports, campaign recipients): spooled to a file under the
 * data directory as they arrive, never held in memory, and refused past the import limit. Every refusal reads the
 * body first or closes the connection: a client still sending its file does not read an early answer, and with
 * the body left unread both sides would wait for ever.
 */
final class Uploads {
    private static final Logger log = LoggerFactory.getLogger(Uploads.class);
    private final Vertx vertx;
    private final Path spoolDir;
    private final long maxBytes;

    Uploads(Vertx vertx, Path spoolDir, long maxBytes) {
        this.vertx = vertx;
        this.spoolDir = spoolDir;
        this.maxBytes = maxBytes;
    }

    /**
     * Spools the body to a new file named {@code prefix-…}; {@code done} gets it once the body has ended (the
     * caller deletes it). Past the limit the answer is 413 and {@code done} is never called.
     */
    void spool(RoutingContext ctx, String prefix, Consumer<Path> done) {
        HttpServerRequest req = ctx.request();
        String declared = req.getHeader("Content-Length");
        if (declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > maxBytes) {
            tooLarge(ctx);
            return;
        }
        Path file = spoolDir.resolve(prefix + "-" + UUID.randomUUID() + ".upload");
        vertx.fileSystem().mkdirs(spoolDir.toString())
                .compose(v -> vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true)))
                .onFailure(ctx::fail)
                .onSuccess(out -> receive(ctx, req, out, file, done));
    }

    private void receive(RoutingContext ctx, HttpServerRequest req, AsyncFile out, Path file, Consumer<Path> done) {
        if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))) req.response().writeContinue();
        long[] received = {0};
        boolean[] over = {false};
        req.handler(buf -> {
            if (over[0]) return;
            received[0] += buf.length();
            if (received[0] > maxBytes) {
                over[0] = true;
                out.close().onComplete(v -> delete(file));
                tooLarge(ctx);
                return;
            }
            out.write(buf);
            if (out.writeQueueFull()) {
                req.pause();
                out.drainHandler(v -> req.resume());
            }
        });
        req.exceptionHandler(e -> {
            out.close().onComplete(v -> delete(file));
            log.info("upload broke off: {}", e.getMessage());
        });
        req.endHandler(v -> {
            if (!over[0]) out.close().onFailure(ctx::fail).onSuccess(x -> done.accept(file));
        });
        req.resume();
    }

    /** Answers once the body has been read and dropped (past the limit: the 413 at once, and the connection closes). */
    void refuseAfterBody(RoutingContext ctx, int status, String error, String message) {
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
    static void tooLarge(RoutingContext ctx) {
        ctx.response().putHeader("Connection", "close");
        Replies.error(ctx, 413, "payload_too_large", "the file is larger than the configured import limit");
        ctx.request().connection().close();
    }

    static void delete(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            log.warn("cannot delete spool file {}: {}", p.getFileName(), e.getMessage());
        }
    }
}
