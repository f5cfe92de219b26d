package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.screening.outreach.campaigns.CampaignText;
import org.screening.outreach.campaigns.Campaigns;
import org.screening.outreach.campaigns.RecipientFileException;
import org.screening.outreach.campaigns.RecipientRows;
import org.screening.outreach.web.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console/campaigns} (province accounts, as only province tokens run campaigns): the campaigns of the
 * account's scope with their progress, and the form that creates one from a {@code campaign.*} template with a
 * recipients file, the way {@code POST /api/v1/campaigns} does. 预览 renders the text with its SMS parts before
 * anything is sent; creating leads to the campaign's page.
 */
public final class CampaignsPage {
    static final String PATH = "/console/campaigns";
    private static final int LISTED = 50;
    private static final Logger log = LoggerFactory.getLogger(CampaignsPage.class);
    private final Campaigns campaigns;
    private final ConsolePages pages;
    private final Blocking blocking;
    private final ZoneId zone;

    public CampaignsPage(Campaigns campaigns, ConsolePages pages, Blocking blocking, ZoneId zone) {
        this.campaigns = campaigns;
        this.pages = pages;
        this.blocking = blocking;
        this.zone = zone;
    }

    /** The 403 page for accounts that may not run campaigns; true when this one may. */
    static boolean mayRun(RoutingContext ctx, ConsolePages pages) {
        if (ConsoleAuth.user(ctx).mayRunCampaigns()) return true;
        pages.message(ctx, 403, "error.forbidden.title", "campaign.err.rights");
        return false;
    }

    public void show(RoutingContext ctx) {
        if (!mayRun(ctx, pages)) return;
        render(ctx, 200, CampaignForm.blank(campaigns.templates()), null, "");
    }

    public void preview(RoutingContext ctx) {
        if (!mayRun(ctx, pages)) return;
        CampaignForm form = CampaignForm.read(ctx);
        try {
            CampaignText.Preview p = campaigns.preview(form.template(), form.lang(), form.variables());
            render(ctx, 200, form, Map.of("text", p.text(), "characters", p.characters(), "segments", p.segments(),
                    "encoding", p.encoding().name()), "");
        } catch (CampaignText.Invalid e) {
            render(ctx, 400, form, null, pages.messages(ctx).fmt("campaign.err.text", e.getMessage()));
        }
    }

    public void create(RoutingContext ctx) {
        if (!mayRun(ctx, pages)) return;
        Messages m = pages.messages(ctx);
        CampaignForm form = CampaignForm.read(ctx);
        String problem = form.problem();
        Path file = UploadedFile.of(ctx, "recipients");
        if (problem == null && file == null) problem = "campaign.err.noFile";
        if (problem != null) {
            render(ctx, 400, form, null, m.get(problem));
            return;
        }
        StaffUser user = ConsoleAuth.user(ctx);
        Campaigns.Request request = form.request(zone);
        blocking.run(() -> campaigns.create(request, user.jurisdictionPrefix(), user.actor(), RecipientRows.file(file)))
                .onSuccess(done -> {
                    log.info("campaign {} created from the console by {}: {} rows, {} recipients, {} invalid",
                            done.campaignId(), user.actor(), done.totalRows(), done.recipients(), done.invalidRows());
                    pages.redirect(ctx, PATH + "/" + done.campaignId() + "?created=1");
                }).onFailure(e -> {
                    if (e instanceof CampaignText.Invalid bad) render(ctx, 400, form, null, m.fmt("campaign.err.text", bad.getMessage()));
                    else if (e instanceof RecipientFileException bad) render(ctx, 400, form, null, m.fmt("campaign.err.file", bad.getMessage()));
                    else ctx.fail(e);
                });
    }

    private void render(RoutingContext ctx, int status, CampaignForm form, Map<String, Object> preview, String error) {
        Messages m = pages.messages(ctx);
        String prefix = ConsoleAuth.user(ctx).jurisdictionPrefix();
        blocking.run(() -> campaigns.list(prefix, Long.MAX_VALUE, LISTED)).onSuccess(list -> {
            Map<String, Object> vars = new HashMap<>();
            vars.put("campaigns", list.stream().map(p -> CampaignViews.view(p, m, zone)).toList());
            vars.put("templates", campaigns.templates());
            vars.put("languages", CampaignForm.LANGUAGES);
            vars.put("form", form);
            vars.put("vars", form.allVariables());
            vars.put("hasPreview", preview != null);
            vars.put("preview", preview == null ? Map.of() : preview);
            vars.put("error", error);
            pages.send(ctx, status, "campaigns", vars);
        }).onFailure(ctx::fail);
    }
}
