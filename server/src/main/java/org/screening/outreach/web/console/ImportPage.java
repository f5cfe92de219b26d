package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.screening.outreach.intake.CaseFile;
import org.screening.outreach.intake.CaseFileException;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.intake.IntakeSummary;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.api.ImportApi;
import org.screening.outreach.web.api.IntakeCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console/import}: staff upload a CSV or XLSX case file and see what became of it. The file goes through the
 * intake of {@code POST /api/v1/cases/import} with the account's jurisdiction prefix as the scope, so a row outside
 * it is rejected as it is for a scoped token; like the API, any account may import. The answer is this page with
 * the counts and the rejected rows; console.js sends the same form with an upload progress bar and shows that
 * page in place, and without JS the plain post shows it.
 */
public final class ImportPage {
    static final String PATH = "/console/import";
    /** Rows and rejected rows listed on the page; the counts always cover the whole file. */
    static final int SHOWN = 1000;
    private static final Logger log = LoggerFactory.getLogger(ImportPage.class);
    private final IntakeService intake;
    private final IntakeCounters counters;
    private final ConsolePages pages;
    private final Blocking blocking;
    private final long maxBytes;

    /** {@code maxBytes}: the upload limit, so the page's script refuses a larger file before sending it. */
    public ImportPage(IntakeService intake, IntakeCounters counters, ConsolePages pages, Blocking blocking, long maxBytes) {
        this.intake = intake;
        this.maxBytes = maxBytes;
        this.counters = counters;
        this.pages = pages;
        this.blocking = blocking;
    }

    public void show(RoutingContext ctx) {
        render(ctx, 200, ImportApi.defaultSource(ConsoleAuth.user(ctx).jurisdictionPrefix()), "", null);
    }

    public void submit(RoutingContext ctx) {
        StaffUser user = ConsoleAuth.user(ctx);
        Messages m = pages.messages(ctx);
        String typed = UploadedFile.field(ctx, "source");
        String source = typed.isEmpty() ? ImportApi.defaultSource(user.jurisdictionPrefix()) : typed;
        String sourceProblem = IntakeService.sourceProblem(source);
        if (sourceProblem != null) {
            render(ctx, 400, source, m.fmt("import.err.source", sourceProblem), null);
            return;
        }
        Path file = UploadedFile.of(ctx, "file");
        if (file == null) {
            render(ctx, 400, source, m.get("import.err.noFile"), null);
            return;
        }
        blocking.run(() -> {
            ImportReport report = new ImportReport(SHOWN, m);
            IntakeSummary summary = intake.ingestFile(CaseFile.open(file), source, user.jurisdictionPrefix(),
                    user.actor(), report);
            counters.count(summary);
            log.info("case file imported from the console by {}: {} accepted, {} duplicates, {} rejected rows",
                    user.actor(), summary.accepted(), summary.duplicates(), summary.rejectedRows());
            Map<String, Object> result = new HashMap<>(report.view());
            result.put("summary", summary);
            return result;
        }).onSuccess(result -> render(ctx, 200, source, "", result)).onFailure(e -> {
            // A damaged file or a missing column: refused whole, nothing stored, as the API answers 400.
            if (e instanceof CaseFileException bad) render(ctx, 400, source, m.fmt("import.err.file", bad.getMessage()), null);
            else ctx.fail(e);
        });
    }

    private void render(RoutingContext ctx, int status, String source, String error, Map<String, Object> result) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("source", source);
        vars.put("error", error);
        vars.put("scope", ConsoleAuth.user(ctx).jurisdictionPrefix());
        vars.put("maxBytes", String.valueOf(maxBytes));
        vars.put("maxMb", maxBytes / (1024 * 1024));
        vars.put("hasResult", result != null);
        if (result != null) vars.put("result", result);
        pages.send(ctx, status, "import", vars);
    }
}
