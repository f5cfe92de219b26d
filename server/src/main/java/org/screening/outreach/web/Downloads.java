package org.screening.outreach.web;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files for download (exports, the daily report as XLSX): an attachment with a safe file name, never cached (they
 * hold personal data, masked), with the number of rows in {@code X-Export-Rows}.
 */
public final class Downloads {
    private static final Logger log = LoggerFactory.getLogger(Downloads.class);

    private Downloads() {}

    /** A generated file in memory. */
    public static void bytes(RoutingContext ctx, byte[] body, String contentType, String fileName, long rows) {
        if (ctx.response().ended()) return;
        headers(ctx, contentType, fileName, rows).setStatusCode(200).end(Buffer.buffer(body));
    }

    /** A generated file on disk, deleted once sent (or once the client went away). */
    public static void file(RoutingContext ctx, Path file, String contentType, String fileName, long rows) {
        if (ctx.response().ended()) {
            delete(ctx, file);
            return;
        }
        headers(ctx, contentType, fileName, rows).setStatusCode(200).sendFile(file.toString())
                .onComplete(ar -> delete(ctx, file));
    }

    /**
     * {@code attachment; filename="…"}: only letters, digits, dot, dash and underscore, whatever the caller put in
     * the name, so no header can be split or a path smuggled in.
     */
    public static String disposition(String fileName) {
        String safe = fileName.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.isEmpty() || safe.startsWith(".")) safe = "export" + safe;
        return "attachment; filename=\"" + safe + "\"";
    }

    private static HttpServerResponse headers(RoutingContext ctx, String contentType, String fileName, long rows) {
        return ctx.response().putHeader("Content-Type", contentType)
                .putHeader("Content-Disposition", disposition(fileName))
                .putHeader("X-Export-Rows", String.valueOf(rows))
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Cache-Control", "no-store");
    }

    private static void delete(RoutingContext ctx, Path file) {
        ctx.vertx().fileSystem().delete(file.toString())
                .onFailure(e -> log.warn("export file {} not deleted: {}", file.getFileName(), e.getMessage()));
    }
}
