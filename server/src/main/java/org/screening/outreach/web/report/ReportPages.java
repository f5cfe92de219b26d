package org.screening.outreach.web.report;

import java.io.StringWriter;
import java.util.Map;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader;

/** Server-rendered pages (Velocity, from the classpath); every inserted value is HTML-escaped. */
final class ReportPages {
    private final VelocityEngine engine = new VelocityEngine();

    ReportPages() {
        engine.setProperty(RuntimeConstants.RESOURCE_LOADERS, "classpath");
        engine.setProperty("resource.loader.classpath.class", ClasspathResourceLoader.class.getName());
        engine.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, true);
        // A name or address typed by a user must never become markup.
        engine.setProperty("event_handler.reference_insertion.class",
                "org.apache.velocity.app.event.implement.EscapeHtmlReference");
        engine.init();
    }

    String render(String page, Map<String, Object> vars) {
        StringWriter out = new StringWriter();
        engine.getTemplate("pages/" + page + ".vm", "UTF-8").merge(new VelocityContext(new java.util.HashMap<>(vars)), out);
        return out.toString();
    }
}
