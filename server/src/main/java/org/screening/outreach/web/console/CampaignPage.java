package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.campaigns.Campaign;
import org.screening.outreach.campaigns.CampaignProgress;
import org.screening.outreach.campaigns.CampaignStatus;
import org.screening.outreach.campaigns.Campaigns;
import org.screening.outreach.campaigns.InvalidRow;
import org.screening.outreach.sms.Segments;
import org.screening.outreach.web.Blocking;
import org.screening.outreach.web.Replies;

/**
 * {@code /console/campaigns/{id}}: one campaign's text and progress, refreshed by console.js from {@code …/progress}
 * (JSON, the same session and scope), and its pause / resume / cancel (CSRF-checked posts, {@link Campaigns#move}).
 * A campaign outside the account's scope is "not found", as the API answers.
 */
public final class CampaignPage {
    /** Invalid rows listed on the page (masked as stored); the API pages through all of them. */
    private static final int INVALID_SHOWN = 100;
    private final Campaigns campaigns;
    private final ConsolePages pages;
    private final Blocking blocking;
    private final ZoneId zone;

    public CampaignPage(Campaigns campaigns, ConsolePages pages, Blocking blocking, ZoneId zone) {
        this.campaigns = campaigns;
        this.pages = pages;
        this.blocking = blocking;
        this.zone = zone;
    }

    public void show(RoutingContext ctx) {
        if (!CampaignsPage.mayRun(ctx, pages)) return;
        render(ctx, 200, "");
    }

    /** The figures for the page's script; errors as JSON like the API's, since a script reads them. */
    public void progress(RoutingContext ctx) {
        StaffUser user = ConsoleAuth.user(ctx);
        if (!user.mayRunCampaigns()) {
            Replies.error(ctx, 403, "forbidden", "only province accounts run campaigns");
            return;
        }
        Long id = id(ctx);
        Messages m = pages.messages(ctx);
        blocking.run(() -> id == null ? Optional.<CampaignProgress>empty() : visibleProgress(id, user)).onSuccess(p -> {
            if (p.isEmpty()) {
                Replies.error(ctx, 404, "not_found", "no campaign with this id");
                return;
            }
            ctx.response().putHeader("Cache-Control", "no-store");
            Replies.json(ctx, 200, CampaignViews.json(p.get(), m, zone));
        }).onFailure(ctx::fail);
    }

    public void move(RoutingContext ctx) {
        if (!CampaignsPage.mayRun(ctx, pages)) return;
        Campaigns.Move move = move(ctx.pathParam("move"));
        Long id = id(ctx);
        if (move == null || id == null) {
            notFound(ctx);
            return;
        }
        StaffUser user = ConsoleAuth.user(ctx);
        blocking.run(() -> campaigns.find(id).filter(c -> user.covers(c.jurisdictionPrefix()))
                .map(c -> campaigns.move(id, move))).onSuccess(r -> {
            if (r.isEmpty() || !r.get().found()) {
                notFound(ctx);
            } else if (r.get().moved()) {
                pages.redirect(ctx, CampaignsPage.PATH + "/" + id + "?moved=" + r.get().status().name());
            } else {
                Messages m = pages.messages(ctx);
                render(ctx, 409, m.fmt("campaign.err.move", CampaignViews.status(r.get().status(), m)));
            }
        }).onFailure(ctx::fail);
    }

    private void render(RoutingContext ctx, int status, String error) {
        Long id = id(ctx);
        if (id == null) {
            notFound(ctx);
            return;
        }
        StaffUser user = ConsoleAuth.user(ctx);
        Messages m = pages.messages(ctx);
        blocking.run(() -> visibleProgress(id, user).map(p -> Map.entry(p, campaigns.invalidRows(id, 0, INVALID_SHOWN))))
                .onSuccess(found -> {
                    if (found.isEmpty()) {
                        notFound(ctx);
                        return;
                    }
                    Campaign c = found.get().getKey().campaign();
                    Map<String, Object> vars = new HashMap<>();
                    vars.put("c", CampaignViews.view(found.get().getKey(), m, zone));
                    vars.put("body", c.body());
                    vars.put("segments", Segments.count(c.body()).segments());
                    vars.put("moves", moves(c.status()));
                    // The number's problem is the intake's English: in words as the case import shows it.
                    List<Map<String, Object>> invalid = new ArrayList<>();
                    for (InvalidRow r : found.get().getValue()) {
                        invalid.add(Map.of("row", r.row(), "value", r.value(),
                                "problem", m.getOr("import.error." + r.problem(), r.problem())));
                    }
                    vars.put("invalidRows", invalid);
                    vars.put("error", error);
                    vars.put("notice", notice(ctx, m));
                    pages.send(ctx, status, "campaign", vars);
                }).onFailure(ctx::fail);
    }

    private Optional<CampaignProgress> visibleProgress(long id, StaffUser user) {
        return campaigns.progress(id).filter(p -> user.covers(p.campaign().jurisdictionPrefix()));
    }

    /** "Created" after the form, "now paused" after a move (a status name from our own redirect). */
    private static String notice(RoutingContext ctx, Messages m) {
        if (ctx.queryParams().contains("created")) return m.get("campaign.created");
        String moved = ctx.queryParams().get("moved");
        for (CampaignStatus s : CampaignStatus.values()) {
            if (s.name().equals(moved)) return m.fmt("campaign.moved", CampaignViews.status(s, m));
        }
        return "";
    }

    /** The buttons the status allows, in the order pause, resume, cancel. */
    private static List<String> moves(CampaignStatus status) {
        List<String> out = new ArrayList<>();
        if (status.operatorMoves().contains(CampaignStatus.PAUSED)) out.add("pause");
        if (status.operatorMoves().contains(CampaignStatus.RUNNING)) out.add("resume");
        if (status.operatorMoves().contains(CampaignStatus.CANCELLED)) out.add("cancel");
        return out;
    }

    private static Campaigns.Move move(String name) {
        try {
            return name == null ? null : Campaigns.Move.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Long id(RoutingContext ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void notFound(RoutingContext ctx) {
        pages.message(ctx, 404, "error.notFound.title", "campaign.err.notFound");
    }
}
