package org.screening.outreach.web.console;

import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;

/** The file a console form sent in its multipart body, spooled by the body handler (deleted when the answer ends). */
final class UploadedFile {
    private UploadedFile() {}

    /** The spooled file of form field {@code field}; null when the form came without one or with an empty one. */
    static Path of(RoutingContext ctx, String field) {
        for (FileUpload f : ctx.fileUploads()) {
            // A browser sends an empty part when no file was chosen.
            if (f.name().equals(field) && f.size() > 0) return Path.of(f.uploadedFileName());
        }
        return null;
    }

    /** A text field of the form, stripped; "" when absent. */
    static String field(RoutingContext ctx, String name) {
        String v = ctx.request().getFormAttribute(name);
        return v == null ? "" : v.strip();
    }
}
