package org.screening.outreach.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.screening.outreach.store.Database;
import org.screening.outreach.web.api.CampaignsApi;
import org.screening.outreach.web.api.CaseActionsApi;
import org.screening.outreach.web.api.CasesApi;
import org.screening.outreach.web.api.DoorKnocksApi;
import org.screening.outreach.web.api.ImportApi;
import org.screening.outreach.web.api.LedgerDeliveriesApi;
import org.screening.outreach.web.api.LedgerExportApi;
import org.screening.outreach.web.api.ReportsApi;
import org.screening.outreach.web.api.TransfersApi;
import org.screening.outreach.web.api.CommunitiesApi;
import org.screening.outreach.web.api.TokensApi;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.console.ConsoleRoutes;
import org.screening.outreach.web.report.SelfReportPage;
import org.screening.outreach.web.webhooks.SmsInboundWebhook;
import org.screening.outreach.web.webhooks.SmsStatusWebhook;
import org.screening.outreach.web.webhooks.TwilioSignature;
import org.screening.outreach.web.webhooks.TwilioSmsWebhooks;
import org.screening.outreach.web.webhooks.TwilioVoiceWebhooks;
import org.screening.outreach.web.webhooks.VoiceCallWebhook;
import org.screening.outreach.web.webhooks.VoiceStatusWebhook;

/** The HTTP routes of DESIGN.md's contract, on one Vert.x HTTP server. */
public final class WebServer {

    /** Everything the routes need, built by the server wiring. */
    public record Routes(Database db, PrometheusMeterRegistry registry, Runnable beforeScrape, Blocking blocking,
                         BearerAuth auth, CasesApi cases, ImportApi imports, TokensApi tokens,
                         CaseActionsApi actions, DoorKnocksApi doorKnocks, TwilioSignature twilioSignature,
                         SmsStatusWebhook smsStatus, SmsInboundWebhook smsInbound, VoiceCallWebhook voiceCall,
                         VoiceStatusWebhook voiceStatus, SelfReportPage selfReport,
                         long maxJsonBytes, ConsoleRoutes console, LedgerDeliveriesApi ledgerDeliveries,
                         CampaignsApi campaigns, ReportsApi reports, TransfersApi transfers,
                         LedgerExportApi ledgerExport, ClientAddress clientAddress, CommunitiesApi communities) {}

    private WebServer() {}

    public static Router router(Vertx vertx, Routes r) {
        Router router = Router.router(vertx);
        router.route().handler(new HttpMetrics(r.registry()));
        router.route().handler(r.clientAddress());
        router.route().handler(new UndecodablePath(r.selfReport()::unknown, r.console()::notFound));
        OpsApi ops = new OpsApi(r.db(), r.registry(), r.blocking(), r.beforeScrape());
        router.get("/health").handler(ops::health);
        router.get("/metrics").handler(ops::metrics);

        BodyHandler json = BodyHandler.create(false).setBodyLimit(r.maxJsonBytes());
        router.post("/api/v1/cases/import").handler(r.auth()).handler(r.imports()::handle);
        router.post("/api/v1/cases").handler(json).handler(r.auth()).handler(r.cases()::push);
        router.get("/api/v1/cases").handler(r.auth()).handler(r.cases()::list);
        router.get("/api/v1/cases/:id").handler(r.auth()).handler(r.cases()::get);
        router.post("/api/v1/cases/:id/verify").handler(json).handler(r.auth()).handler(r.actions()::verify);
        router.post("/api/v1/cases/:id/close").handler(json).handler(r.auth()).handler(r.actions()::close);
        router.post("/api/v1/cases/:id/sms").handler(json).handler(r.auth()).handler(r.actions()::resendSms);
        router.post("/api/v1/cases/:id/results").handler(json).handler(r.auth()).handler(r.actions()::result);
        router.get("/api/v1/door-knocks").handler(r.auth()).handler(r.doorKnocks()::list);
        router.post("/api/v1/door-knocks/:id/assign").handler(json).handler(r.auth()).handler(r.doorKnocks()::assign);
        router.post("/api/v1/door-knocks/:id/outcome").handler(json).handler(r.auth()).handler(r.doorKnocks()::outcome);
        // Campaigns: a JSON request carries its recipients as a list; any other body is the CSV / XLSX file itself.
        router.post("/api/v1/campaigns/preview").handler(json).handler(r.auth()).handler(r.campaigns()::preview);
        router.post("/api/v1/campaigns").consumes("application/json").handler(json).handler(r.auth())
                .handler(r.campaigns()::createJson);
        router.post("/api/v1/campaigns").handler(r.auth()).handler(r.campaigns()::createFile);
        router.get("/api/v1/campaigns").handler(r.auth()).handler(r.campaigns()::list);
        router.get("/api/v1/campaigns/:id").handler(r.auth()).handler(r.campaigns()::get);
        router.get("/api/v1/campaigns/:id/invalid").handler(r.auth()).handler(r.campaigns()::invalid);
        router.post("/api/v1/campaigns/:id/pause").handler(r.auth()).handler(r.campaigns()::pause);
        router.post("/api/v1/campaigns/:id/resume").handler(r.auth()).handler(r.campaigns()::resume);
        router.post("/api/v1/campaigns/:id/cancel").handler(r.auth()).handler(r.campaigns()::cancel);
        router.post("/api/v1/tokens").handler(json).handler(r.auth()).handler(r.tokens()::create);
        router.get("/api/v1/tokens").handler(r.auth()).handler(r.tokens()::list);
        router.delete("/api/v1/tokens/:id").handler(r.auth()).handler(r.tokens()::revoke);
        router.get("/api/v1/reports/daily").handler(r.auth()).handler(r.reports()::daily);
        router.post("/api/v1/cases/:id/transfer").handler(json).handler(r.auth()).handler(r.transfers()::handOver);
        router.get("/api/v1/transfers").handler(r.auth()).handler(r.transfers()::list);
        router.post("/api/v1/transfers/:id/retry").handler(json).handler(r.auth()).handler(r.transfers()::retry);
        // Peers sign their requests with the pair's key instead of a bearer token.
        router.post("/api/v1/transfers").handler(json).handler(r.transfers()::receive);
        router.post("/api/v1/transfers/:id/ack").handler(json).handler(r.transfers()::ack);
        LedgerDeliveriesApi deliveries = r.ledgerDeliveries();
        router.get("/api/v1/ledger/deliveries").handler(r.auth()).handler(deliveries::list);
        router.post("/api/v1/ledger/deliveries/retry-failed").handler(json).handler(r.auth()).handler(deliveries::retryFailed);
        router.get("/api/v1/ledger/deliveries/:id").handler(r.auth()).handler(deliveries::get);
        router.post("/api/v1/ledger/deliveries/:id/retry").handler(json).handler(r.auth()).handler(deliveries::retry);
        router.post("/api/v1/ledger/deliveries/:id/skip").handler(json).handler(r.auth()).handler(deliveries::skip);
        router.get("/api/v1/ledger/export").handler(r.auth()).handler(r.ledgerExport()::export);
        router.get("/api/v1/communities").handler(r.auth()).handler(r.communities()::list);
        router.put("/api/v1/communities").handler(json).handler(r.auth()).handler(r.communities()::save);

        TwilioSmsWebhooks.mount(router, r.twilioSignature(), r.smsStatus(), r.smsInbound());
        TwilioVoiceWebhooks.mount(router, r.twilioSignature(), r.voiceCall(), r.voiceStatus());
        router.get("/r/:token").handler(r.selfReport()::show);
        router.get("/r/:token/done").handler(r.selfReport()::done);
        router.post("/r/:token").handler(BodyHandler.create(false).setBodyLimit(16 * 1024)).handler(r.selfReport()::submit);
        router.route("/r/*").handler(r.selfReport()::unknown);
        router.route("/r/*").failureHandler(r.selfReport()::failure);

        r.console().mount(router, r.auth(), json);

        router.route().last().handler(ctx -> Replies.error(ctx, 404, "not_found", "no such resource"));
        router.route().failureHandler(Replies::failure);
        return router;
    }

    /**
     * {@code instances} HTTP servers on one port, each on its own event loop with its own router over the same
     * handlers; Vert.x spreads connections over them, so parsing, signature checks and rendering use every core
     * (one server kept all of that on one thread while the database workers waited for it).
     */
    public static HttpServer listen(Vertx vertx, Supplier<Router> routers, int port, int instances)
            throws java.util.concurrent.TimeoutException {
        // Port 0 (any free port): Vert.x shares one random port among servers asking for the same negative port.
        int shared = port == 0 ? -1 : port;
        HttpServer first = server(vertx, routers.get()).listen(shared, "0.0.0.0").await(30, TimeUnit.SECONDS);
        for (int i = 1; i < instances; i++) {
            server(vertx, routers.get()).listen(shared, "0.0.0.0").await(30, TimeUnit.SECONDS);
        }
        return first;
    }

    private static HttpServer server(Vertx vertx, Router router) {
        // No HTTP/2 upgrade over plain text (h2c): Twilio, browsers and proxies speak HTTP/1.1 or TLS here, and an
        // upgrade request carrying a body past a limit was answered with a GOAWAY instead of the 413.
        return vertx.createHttpServer(new HttpServerOptions().setCompressionSupported(true)
                .setHttp2ClearTextEnabled(false)).requestHandler(router);
    }
}
