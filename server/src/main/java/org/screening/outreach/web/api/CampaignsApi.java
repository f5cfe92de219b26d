package org.screening.outreach.web.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.campaigns.Campaign;
import org.screening.outreach.campaigns.CampaignImport;
import org.screening.outreach.campaigns.CampaignProgress;
import org.screening.outreach.campaigns.CampaignText;
import org.screening.outreach.campaigns.Campaigns;
import org.screening.outreach.campaigns.InvalidRow;
import org.screening.outreach.campaigns.RecipientFileException;
import org.screening.outreach.campaigns.RecipientRows;
import org.screening.outreach.domain.Role;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;
import org.screening.outreach.web.auth.BearerAuth;
import org.screening.outreach.web.auth.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bulk SMS campaigns of the province centre: {@code POST /api/v1/campaigns} (JSON with a recipients list, or a
 * CSV / XLSX body with the rest as query parameters), {@code POST /api/v1/campaigns/preview}, {@code GET
 * /api/v1/campaigns/{id}} (progress, counts only), {@code GET …/{id}/invalid}, {@code POST …/{id}/pause|resume|
 * cancel}. A file body streams to a spool file, then into the database in batches (the case import's way).
 */
public final class CampaignsApi {
    private static final Logger log = LoggerFactory.getLogger(CampaignsApi.class);
    private final Uploads uploads;
    private final Campaigns campaigns;
    private final Blocking blocking;
    private final ZoneId zone;

    public CampaignsApi(Vertx vertx, Campaigns campaigns, Blocking blocking, Path spoolDir, long maxBytes, ZoneId zone) {
        this.uploads = new Uploads(vertx, spoolDir, maxBytes);
        this.campaigns = campaigns;
        this.blocking = blocking;
        this.zone = zone;
    }

    /** Province tokens (and the admin) send to the whole province; a city or community cannot. */
    private static boolean mayCreate(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        if (caller.admin() || caller.role() == Role.PROVINCE) return true;
        Replies.error(ctx, 403, "forbidden", "only a province token may run campaigns");
        return false;
    }

    /** JSON: {name, template, lang, variables, recipients: ["138…", …], startAt, quietHours}. */
    public void createJson(RoutingContext ctx) {
        if (!mayCreate(ctx)) return;
        JsonObject body = Bodies.object(ctx, "template, variables and recipients");
        if (body == null) return;
        if (!(body.getValue("recipients") instanceof JsonArray list)) {
            Replies.error(ctx, 400, "invalid_request", "recipients must be an array of phone numbers");
            return;
        }
        List<String> phones = new ArrayList<>(list.size());
        for (Object o : list) {
            phones.add(o instanceof JsonObject j ? text(j.getValue("phone")) : text(o));
        }
        Object vars = body.getValue("variables");
        if (vars != null && !(vars instanceof JsonObject)) {
            Replies.error(ctx, 400, "invalid_request", "variables must be an object of strings");
            return;
        }
        Map<String, String> variables = new LinkedHashMap<>();
        if (vars instanceof JsonObject v) v.forEach(e -> variables.put(e.getKey(), text(e.getValue())));
        request(ctx, Bodies.text(body, "name"), Bodies.text(body, "template"), Bodies.text(body, "lang"), variables,
                Bodies.text(body, "startAt"), body.getValue("quietHours") instanceof String q ? q.strip() : null,
                () -> RecipientRows.list(phones), null);
    }

    /** CSV / XLSX body; ?template=&lang=&name=&startAt=&quietHours= and one var.NAME= per variable. */
    public void createFile(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        if (!caller.admin() && caller.role() != Role.PROVINCE) {
            uploads.refuseAfterBody(ctx, 403, "forbidden", "only a province token may run campaigns");
            return;
        }
        HttpServerRequest req = ctx.request();
        String type = req.getHeader("Content-Type") == null ? "" : req.getHeader("Content-Type").toLowerCase();
        if (type.startsWith("multipart/")) {
            uploads.refuseAfterBody(ctx, 415, "unsupported_media_type", "send the CSV or XLSX file itself as the body, or JSON");
            return;
        }
        Map<String, String> variables = new LinkedHashMap<>();
        ctx.queryParams().forEach(e -> {
            if (e.getKey().startsWith("var.")) variables.put(e.getKey().substring(4), e.getValue());
        });
        uploads.spool(ctx, "campaign", file -> request(ctx, req.getParam("name", ""), req.getParam("template", ""),
                req.getParam("lang", ""), variables, req.getParam("startAt", ""), req.getParam("quietHours"),
                () -> RecipientRows.file(file), file));
    }

    private interface Rows {
        RecipientRows open() throws RecipientFileException;
    }

    private void request(RoutingContext ctx, String name, String template, String lang, Map<String, String> variables,
                         String startAt, String quietHours, Rows rows, Path spooled) {
        String problem = Campaigns.quietHoursProblem(quietHours);
        OffsetDateTime start = null;
        if (problem == null && startAt != null && !startAt.isBlank()) {
            try {
                start = startAt(startAt.strip());
                problem = campaigns.startAtProblem(start.toInstant());
            } catch (java.time.DateTimeException | ArithmeticException e) {
                problem = "startAt must be ISO-8601, e.g. 2022-04-02T09:00:00+08:00 (without an offset: local time, "
                        + zone.getId() + ")";
            }
        }
        if (problem != null) {
            Uploads.delete(spooled);
            Replies.error(ctx, 400, "invalid_request", problem);
            return;
        }
        Caller caller = BearerAuth.caller(ctx);
        Campaigns.Request r = new Campaigns.Request(name, template, lang, variables,
                start == null ? null : start.toInstant(), quietHours);
        blocking.run(() -> {
            try {
                return (Object) campaigns.create(r, caller.jurisdictionPrefix(), caller.actor(), rows.open());
            } catch (CampaignText.Invalid | RecipientFileException e) {
                return e;
            } finally {
                Uploads.delete(spooled);
            }
        }).onSuccess(result -> {
            if (result instanceof CampaignText.Invalid e) {
                Replies.error(ctx, 400, "invalid_template", e.getMessage());
            } else if (result instanceof RecipientFileException e) {
                Replies.error(ctx, 400, "invalid_file", e.getMessage());
            } else {
                CampaignImport.Result done = (CampaignImport.Result) result;
                log.info("campaign {} created by {}: {} rows, {} recipients, {} invalid, {} duplicates, {} opted out",
                        done.campaignId(), caller.actor(), done.totalRows(), done.recipients(), done.invalidRows(),
                        done.duplicateRows(), done.optedOut());
                Replies.json(ctx, 201, created(done));
            }
        }).onFailure(ctx::fail);
    }

    /** With an offset as given; without one, a local time of the deployment's zone (as the console's form reads it). */
    private OffsetDateTime startAt(String s) {
        try {
            return OffsetDateTime.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.LocalDateTime.parse(s).atZone(zone).toOffsetDateTime();
        }
    }

    public void preview(RoutingContext ctx) {
        if (!mayCreate(ctx)) return;
        JsonObject body = Bodies.object(ctx, "template and variables");
        if (body == null) return;
        Map<String, String> variables = new LinkedHashMap<>();
        if (body.getValue("variables") instanceof JsonObject v) v.forEach(e -> variables.put(e.getKey(), text(e.getValue())));
        try {
            CampaignText.Preview p = campaigns.preview(Bodies.text(body, "template"), Bodies.text(body, "lang"), variables);
            Replies.json(ctx, 200, new JsonObject().put("template", p.template()).put("lang", p.lang())
                    .put("text", p.text()).put("characters", p.characters()).put("segments", p.segments())
                    .put("encoding", p.encoding().name()));
        } catch (CampaignText.Invalid e) {
            Replies.error(ctx, 400, "invalid_template", e.getMessage());
        }
    }

    public void get(RoutingContext ctx) {
        Long id = id(ctx);
        if (id == null) return;
        blocking.run(() -> campaigns.progress(id)).onSuccess(p -> {
            if (!visible(ctx, p.map(CampaignProgress::campaign))) return;
            Replies.json(ctx, 200, CampaignJson.progress(p.get(), zone));
        }).onFailure(ctx::fail);
    }

    /** {@code GET /api/v1/campaigns?before=<id>&limit=}: the caller's campaigns, newest first, with their progress. */
    public void list(RoutingContext ctx) {
        Caller caller = BearerAuth.caller(ctx);
        long before;
        int limit;
        try {
            before = Long.parseLong(ctx.request().getParam("before", String.valueOf(Long.MAX_VALUE)));
            limit = Integer.parseInt(ctx.request().getParam("limit", "20"));
            if (limit < 1 || limit > 100) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            Replies.error(ctx, 400, "invalid_request", "before must be a campaign id and limit 1..100");
            return;
        }
        blocking.run(() -> campaigns.list(caller.jurisdictionPrefix(), before, limit)).onSuccess(page -> {
            JsonArray items = new JsonArray();
            page.forEach(p -> items.add(CampaignJson.progress(p, zone)));
            Replies.json(ctx, 200, new JsonObject().put("campaigns", items)
                    .put("next", page.size() < limit ? null : page.get(page.size() - 1).campaign().id()));
        }).onFailure(ctx::fail);
    }

    /** {@code ?after=<row>&limit=} pages through the invalid rows in row order. */
    public void invalid(RoutingContext ctx) {
        Long id = id(ctx);
        if (id == null) return;
        int after;
        int limit;
        try {
            after = Integer.parseInt(ctx.request().getParam("after", "0"));
            limit = Integer.parseInt(ctx.request().getParam("limit", "500"));
            if (limit < 1 || limit > 5000) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            Replies.error(ctx, 400, "invalid_request", "after must be a row number and limit 1..5000");
            return;
        }
        blocking.run(() -> campaigns.find(id).map(c -> Map.entry(c, campaigns.invalidRows(id, after, limit))))
                .onSuccess(found -> {
                    if (!visible(ctx, found.map(Map.Entry::getKey))) return;
                    List<InvalidRow> rows = found.get().getValue();
                    Replies.json(ctx, 200, new JsonObject().put("invalid", found.get().getKey().invalidRows())
                            .put("rows", CampaignJson.invalidRows(rows))
                            .put("next", rows.size() < limit ? null : rows.get(rows.size() - 1).row()));
                }).onFailure(ctx::fail);
    }

    public void pause(RoutingContext ctx) {
        move(ctx, Campaigns.Move.PAUSE);
    }

    public void resume(RoutingContext ctx) {
        move(ctx, Campaigns.Move.RESUME);
    }

    public void cancel(RoutingContext ctx) {
        move(ctx, Campaigns.Move.CANCEL);
    }

    private void move(RoutingContext ctx, Campaigns.Move move) {
        if (!mayCreate(ctx)) return;
        Long id = id(ctx);
        if (id == null) return;
        blocking.run(() -> campaigns.find(id).map(c -> Map.entry(c, visibleTo(ctx, c) ? campaigns.move(id, move) : null)))
                .onSuccess(found -> {
                    if (!visible(ctx, found.map(Map.Entry::getKey))) return;
                    Campaigns.MoveResult r = found.get().getValue();
                    if (!r.moved()) {
                        Replies.error(ctx, 409, "conflict", "campaign is " + r.status() + "; cannot " + move.name().toLowerCase());
                        return;
                    }
                    Replies.json(ctx, 200, new JsonObject().put("id", id).put("status", r.status().name()));
                }).onFailure(ctx::fail);
    }

    private static boolean visibleTo(RoutingContext ctx, Campaign c) {
        return BearerAuth.caller(ctx).covers(c.jurisdictionPrefix());
    }

    /** Answers 404 for no such campaign, or one the caller may not see (its creator's scope is outside the caller's). */
    private static boolean visible(RoutingContext ctx, Optional<Campaign> c) {
        if (c.isPresent() && visibleTo(ctx, c.get())) return true;
        Replies.error(ctx, 404, "not_found", "no campaign with this id");
        return false;
    }

    private static Long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            Replies.error(ctx, 404, "not_found", "no campaign with this id");
            return null;
        }
    }

    private static JsonObject created(CampaignImport.Result r) {
        return new JsonObject().put("id", r.campaignId()).put("status", "RUNNING").put("total", r.totalRows())
                .put("recipients", r.recipients()).put("invalid", r.invalidRows()).put("duplicates", r.duplicateRows())
                .put("optedOut", r.optedOut()).put("invalidRows", CampaignJson.invalidRows(r.firstInvalid()));
    }

    /**
     * Numbers are accepted where text is expected (a phone sent as 13800138000); one no decimal holds (1e309 reads
     * as infinity) is kept as written by Java, which no phone or template takes.
     */
    static String text(Object v) {
        if (v == null) return "";
        if (v instanceof Number n) {
            try {
                return new java.math.BigDecimal(n.toString()).toPlainString();
            } catch (NumberFormatException e) {
                return n.toString();
            }
        }
        return v.toString();
    }

}
