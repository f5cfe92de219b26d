package org.screening.outreach.web.console;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.screening.outreach.campaigns.Campaigns;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.ivr.IvrScripts;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.ledger.CaseUpdates;
import org.screening.outreach.ledger.DailyReports;
import org.screening.outreach.ledger.DoorKnocks;
import org.screening.outreach.ledger.SlaFigures;
import org.screening.outreach.ledger.export.LedgerExports;
import org.screening.outreach.ledger.transfer.Transfers;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.api.IntakeCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The staff console's routes under {@code /console}, and {@code /api/v1/staff}; built once by the server. */
public final class ConsoleRoutes {
    private static final Logger log = LoggerFactory.getLogger(ConsoleRoutes.class);
    /** How long a refused upload's body is read and dropped before its connection closes. */
    private static final Duration LINGER = Duration.ofSeconds(2);
    /** bcrypt cost: about a quarter of a second per check on a small server. */
    public static final int BCRYPT_COST = 12;
    private final ConsolePages pages;
    private final ConsoleAuth auth;
    private final LoginPage login;
    private final WorkListPage workList;
    private final CasePage casePage;
    private final TransfersPage transfersPage;
    private final DashboardPage dashboard;
    private final ExportPage exportPage;
    private final StaffAdminPage staffPage;
    private final StaffApi staffApi;
    private final AssignDoorKnocks assign;
    private final SimulatorPage simulator;
    private final Bulk bulk;
    private final ImportPage importPage;
    private final CampaignsPage campaignsPage;
    private final CampaignPage campaignPage;
    private final Buffer script = resource("pages/console/console.js");
    private final Buffer style = resource("pages/console/console.css");

    /** Everything the console reads and changes, each behind its interface. */
    public record Stores(StaffAccounts accounts, ConsoleSessions sessions, WorkList workList, CaseLedger ledger,
                         CaseUpdates updates, DoorKnocks doorKnocks, Transfers transfers, DailyReports reports,
                         SlaFigures sla, LedgerExports exports, LoginFailures loginFailures) {}

    /**
     * Bulk work staff start from the console: case files through the API's intake, the province's SMS campaigns;
     * uploads spool under {@code spoolDir} and are refused past {@code maxFileBytes}, as the API's are.
     */
    public record Bulk(IntakeService intake, IntakeCounters counters, Campaigns campaigns, Path spoolDir,
                       long maxFileBytes) {}

    /** The loaded IVR scripts and the one calls run (offered first), for the phone simulator; memory only. */
    public record Ivr(IvrScripts scripts, String script, String language) {}

    public ConsoleRoutes(Stores s, Passwords passwords, Blocking blocking, ZoneId zone, Clock clock, String publicUrl,
                         Ivr ivr, java.time.Duration dueSoon, Bulk bulk, String deployment) {
        boolean secure = SessionRules.secureCookies(publicUrl);
        this.pages = new ConsolePages(secure);
        this.auth = new ConsoleAuth(s.sessions(), blocking, clock, pages, secure);
        this.login = new LoginPage(s.accounts(), passwords, new LoginThrottle(s.loginFailures(), clock), auth, s.sessions(), pages, blocking,
                clock, secure);
        this.workList = new WorkListPage(s.workList(), pages, blocking, zone, clock, dueSoon);
        CaseActions actions = new CaseActions(s.ledger(), s.updates(), s.doorKnocks(), s.transfers(), clock);
        this.dashboard = new DashboardPage(s.reports(), s.sla(), pages, blocking, zone, clock);
        this.exportPage = new ExportPage(s.exports(), s.reports(), pages, blocking, zone, clock);
        this.transfersPage = new TransfersPage(s.transfers(), pages, blocking, zone, clock);
        this.casePage = new CasePage(s.ledger(), s.doorKnocks(), actions, pages, blocking, zone, clock, deployment);
        StaffDirectory directory = new StaffDirectory(s.accounts(), passwords, clock);
        StaffAccountChanges changes = new StaffAccountChanges(s.accounts(), passwords, clock);
        this.staffPage = new StaffAdminPage(directory, changes, s.accounts(), pages, blocking);
        this.staffApi = new StaffApi(directory, changes, blocking);
        this.assign = new AssignDoorKnocks(s.doorKnocks(), pages, blocking, clock);
        // "3 days ago" on the practice call is a date in the deployment's zone, as on a real call.
        this.simulator = new SimulatorPage(ivr.scripts(), ivr.script(), ivr.language(),
                clock.withZone(zone), pages);
        this.bulk = bulk;
        this.importPage = new ImportPage(bulk.intake(), bulk.counters(), pages, blocking, bulk.maxFileBytes());
        this.campaignsPage = new CampaignsPage(bulk.campaigns(), pages, blocking, zone);
        this.campaignPage = new CampaignPage(bulk.campaigns(), pages, blocking, zone);
    }

    /** Mounts the console; {@code bearer} and {@code json} are the API's token check and JSON body handler. */
    public void mount(Router router, Handler<RoutingContext> bearer, BodyHandler json) {
        router.post("/api/v1/staff").handler(json).handler(bearer).handler(staffApi::create);
        router.post("/api/v1/staff/:username/disable").handler(json).handler(bearer).handler(staffApi::disable);
        router.post("/api/v1/staff/:username/enable").handler(json).handler(bearer).handler(staffApi::enable);
        router.post("/api/v1/staff/:username/password").handler(json).handler(bearer).handler(staffApi::password);

        BodyHandler form = BodyHandler.create(false).setBodyLimit(64 * 1024);
        router.get("/console/static/console.js").handler(ctx -> asset(ctx, script, "text/javascript; charset=utf-8"));
        router.get("/console/static/console.css").handler(ctx -> asset(ctx, style, "text/css; charset=utf-8"));
        router.get("/console/login").handler(login::show);
        router.post("/console/login").handler(form).handler(login::submit);
        router.post("/console/logout").handler(form).handler(auth).handler(login::logout);
        router.get("/console").handler(auth).handler(workList::show);
        router.get("/console/").handler(ctx -> pages.redirect(ctx, "/console"));
        router.get("/console/cases/:id").handler(auth).handler(casePage::show);
        router.post("/console/cases/:id/reveal").handler(form).handler(auth).handler(casePage::reveal);
        router.post("/console/cases/:id/verify").handler(form).handler(auth).handler(casePage::verify);
        router.post("/console/cases/:id/close").handler(form).handler(auth).handler(casePage::close);
        router.post("/console/cases/:id/police-review").handler(form).handler(auth).handler(casePage::policeReview);
        router.post("/console/cases/:id/sms").handler(form).handler(auth).handler(casePage::resendSms);
        router.post("/console/cases/:id/transfer").handler(form).handler(auth).handler(casePage::transfer);
        router.post("/console/cases/:id/door-knock").handler(form).handler(auth).handler(casePage::doorKnock);
        router.get("/console/transfers").handler(auth).handler(transfersPage::show);
        router.post("/console/transfers/:id/retry").handler(form).handler(auth).handler(transfersPage::retry);
        router.get("/console/dashboard").handler(auth).handler(dashboard::show);
        router.get("/console/export").handler(auth).handler(exportPage::show);
        router.post("/console/door-knocks/assign").handler(form).handler(auth).handler(assign::handle);
        router.post("/console/cases/:id/door-knock/assign").handler(form).handler(auth).handler(assign::caseTask);
        router.get("/console/admin/staff").handler(auth).handler(staffPage::show);
        router.post("/console/admin/staff").handler(form).handler(auth).handler(staffPage::create);
        router.post("/console/admin/staff/disable").handler(form).handler(auth).handler(staffPage::disable);
        router.post("/console/admin/staff/enable").handler(form).handler(auth).handler(staffPage::enable);
        router.post("/console/admin/staff/password").handler(form).handler(auth).handler(staffPage::password);
        router.get(SimulatorPage.PATH).handler(auth).handler(simulator::show);
        router.post(SimulatorPage.PATH + "/start").handler(form).handler(auth).handler(simulator::start);
        router.post(SimulatorPage.PATH + "/event").handler(form).handler(auth).handler(simulator::event);
        router.post(SimulatorPage.PATH + "/reset").handler(form).handler(auth).handler(simulator::reset);
        mountBulk(router, form);
        router.route("/console/*").handler(this::notFound);
        router.route("/console*").failureHandler(this::failure);
    }

    /** The console's own 404 page (a mistyped or mangled console address). */
    public void notFound(RoutingContext ctx) {
        pages.message(ctx, 404, "error.notFound.title", "error.notFound.text");
    }

    /** The import page and the campaign pages: forms with a file take multipart bodies spooled to disk. */
    private void mountBulk(Router router, BodyHandler form) {
        BodyHandler files = BodyHandler.create(bulk.spoolDir().toString()).setBodyLimit(bulk.maxFileBytes())
                .setDeleteUploadedFilesOnEnd(true);
        // Before the body handler, as a route of its own (Vert.x wants body handlers first on a route).
        router.post(ImportPage.PATH).handler(this::beforeUpload);
        router.post(CampaignsPage.PATH).handler(this::beforeUpload);
        router.post(CampaignsPage.PATH + "/preview").handler(this::beforeUpload);
        router.get(ImportPage.PATH).handler(auth).handler(importPage::show);
        router.post(ImportPage.PATH).handler(files).handler(auth).handler(importPage::submit);
        router.get(CampaignsPage.PATH).handler(auth).handler(campaignsPage::show);
        router.post(CampaignsPage.PATH + "/preview").handler(files).handler(auth).handler(campaignsPage::preview);
        router.post(CampaignsPage.PATH).handler(files).handler(auth).handler(campaignsPage::create);
        router.get(CampaignsPage.PATH + "/:id").handler(auth).handler(campaignPage::show);
        router.get(CampaignsPage.PATH + "/:id/progress").handler(auth).handler(campaignPage::progress);
        router.post(CampaignsPage.PATH + "/:id/:move").handler(form).handler(auth).handler(campaignPage::move);
    }

    /**
     * Refuses an upload before any of it is spooled when it cannot succeed: without a session cookie (the login page;
     * the session itself is checked with the CSRF token once the form is read), or declared larger than the limit
     * (the 413 page). Either way the connection closes, as the client is still sending. A body without a declared
     * length is cut off by the body handler's limit.
     */
    private void beforeUpload(RoutingContext ctx) {
        io.vertx.core.http.Cookie session = ctx.request().getCookie(ConsoleAuth.SESSION_COOKIE);
        String declared = ctx.request().getHeader("Content-Length");
        boolean tooLarge = declared != null && declared.matches("\\d{1,18}") && Long.parseLong(declared) > bulk.maxFileBytes();
        boolean anonymous = session == null || !SessionRules.wellFormed(session.getValue());
        if (!tooLarge && !anonymous) {
            ctx.next();
            return;
        }
        ctx.response().putHeader("Connection", "close");
        if (anonymous) pages.redirect(ctx, "/console/login?next=%2Fconsole");
        else fileTooLarge(ctx);
        // A lingering close: the client is still sending its body, and closing at once leaves that unread, which
        // resets the connection and can throw away the answer before the client reads it. What still comes is read
        // and dropped for a moment, then the connection closes.
        HttpConnection connection = ctx.request().connection();
        ctx.request().handler(ignored -> { }).endHandler(v -> connection.close()).resume();
        ctx.vertx().setTimer(LINGER.toMillis(), t -> connection.close());
    }

    /** The 413 page of an upload, naming the limit (the same as the API's, {@code OUTREACH_MAX_IMPORT_MB}). */
    private void fileTooLarge(RoutingContext ctx) {
        Messages m = pages.messages(ctx);
        pages.send(ctx, 413, "message", java.util.Map.of("title", m.get("error.tooLarge.title"),
                "text", m.fmt("upload.tooLarge", bulk.maxFileBytes() / (1024 * 1024))));
    }

    /** Console failures are pages, not JSON: what went wrong in words and a reference for the log, no stack trace. */
    private void failure(RoutingContext ctx) {
        int status = ctx.statusCode();
        if (status == 413 && (ctx.request().path().startsWith(ImportPage.PATH)
                || ctx.request().path().startsWith(CampaignsPage.PATH))) {
            fileTooLarge(ctx);
            return;
        }
        if (status == 413) {
            pages.message(ctx, 413, "error.tooLarge.title", "error.tooLarge.text");
            return;
        }
        if (status >= 400 && status < 500) {
            pages.message(ctx, status == 404 ? 404 : 400, "error.bad.title", "error.bad.text");
            return;
        }
        String ref = UUID.randomUUID().toString().substring(0, 8);
        // The exception's class and place only: store errors can quote rows with personal data.
        Throwable t = ctx.failure();
        log.error("console request {} {} failed (ref {}): {}", ctx.request().method(), ctx.normalizedPath(), ref,
                t == null ? "status " + status : t.getClass().getName(),
                t == null ? null : stackOnly(t));
        try {
            Messages m = pages.messages(ctx);
            pages.send(ctx, 500, "message", java.util.Map.of("title", m.get("error.internal.title"),
                    "text", m.fmt("error.internal.text", ref)));
        } catch (RuntimeException e) {
            if (!ctx.response().ended()) ctx.response().setStatusCode(500).end("error " + ref);
        }
    }

    private static Throwable stackOnly(Throwable t) {
        RuntimeException r = new RuntimeException(t.getClass().getName());
        r.setStackTrace(t.getStackTrace());
        return r;
    }

    private static void asset(RoutingContext ctx, Buffer body, String type) {
        ConsolePages.headers(ctx).putHeader("Content-Type", type).putHeader("Cache-Control", "max-age=300").end(body);
    }

    private static Buffer resource(String path) {
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) throw new IllegalStateException(path + " is missing from the classpath");
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
