package org.screening.outreach.campaigns;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.domain.QuietHours;

/**
 * The campaign use cases behind the API: create (text checked, recipients streamed in), preview, progress and the
 * operator's pause / resume / cancel. Blocking (JDBC through the store): call on a worker thread.
 */
public final class Campaigns {
    /** What a creator asks for, before the text is rendered. {@code quietHours} null = the deployment's. */
    public record Request(String name, String template, String lang, Map<String, String> variables, Instant startAt,
                          String quietHours) {}

    public enum Move { PAUSE, RESUME, CANCEL }

    /** Outcome of an operator move: done, unknown campaign, or not allowed from its status (→ 409). */
    public record MoveResult(boolean found, boolean moved, CampaignStatus status) {}

    private final CampaignStore store;
    private final CampaignText texts;
    private final CampaignImport imports;
    private final QuietHours defaultQuietHours;
    /** The deployment's zone (that of its quiet hours), in which a campaign's quiet hours are read. */
    private final java.time.ZoneId zone;
    private final Clock clock;

    public Campaigns(CampaignStore store, CampaignText texts, CampaignImport imports, QuietHours defaultQuietHours,
                     Clock clock) {
        this.store = store;
        this.texts = texts;
        this.imports = imports;
        this.defaultQuietHours = defaultQuietHours;
        this.zone = defaultQuietHours == null ? QuietHours.defaults().zone() : defaultQuietHours.zone();
        this.clock = clock;
    }

    /**
     * The latest start a campaign may ask for. Further out is a typo (a year 20222), and a time past what a DATETIME
     * holds would fail the insert with a server error.
     */
    public static final java.time.Duration LATEST_START = java.time.Duration.ofDays(366);

    /** Checks the text first (nothing is stored when it fails), then streams the recipients in. */
    public CampaignImport.Result create(Request r, String jurisdictionPrefix, String actor, RecipientRows rows)
            throws CampaignText.Invalid, RecipientFileException {
        CampaignText.Preview text = texts.render(r.template(), r.lang(), r.variables());
        Instant now = clock.instant();
        String late = startAtProblem(r.startAt());
        if (late != null) throw new CampaignText.Invalid(late);
        String quiet = r.quietHours() == null ? defaultQuietHours.start() + "-" + defaultQuietHours.end()
                : r.quietHours().equalsIgnoreCase("none") ? null : r.quietHours();
        String name = r.name() == null || r.name().isBlank() ? r.template() : r.name();
        NewCampaign c = new NewCampaign(cut(name, 200), text.template(), text.lang(), r.variables(), text.text(),
                jurisdictionPrefix, cut(actor, 100), r.startAt() == null || r.startAt().isBefore(now) ? now : r.startAt(),
                quiet);
        return imports.run(c, rows, now);
    }

    public CampaignText.Preview preview(String template, String lang, Map<String, String> variables)
            throws CampaignText.Invalid {
        return texts.render(template, lang, variables);
    }

    /** The templates a campaign may use (the {@code campaign.*} ones). */
    public List<String> templates() {
        return texts.campaignTemplates();
    }

    public Optional<Campaign> find(long id) {
        return store.find(id);
    }

    /** Counted now: a campaign's own view (the list shows kept counts). */
    public Optional<CampaignProgress> progress(long id) {
        return store.find(id).map(c -> CampaignProgress.of(c, store.counts(id), clock.instant(), zone));
    }

    /**
     * The campaigns a caller with this prefix may see, newest first, with their progress from the counts kept by
     * {@link CampaignCountsJob} (a count per campaign and view cost seconds with a few million-recipient campaigns).
     */
    public List<CampaignProgress> list(String jurisdictionPrefix, long beforeId, int limit) {
        Instant now = clock.instant();
        return store.list(jurisdictionPrefix, beforeId, limit).stream()
                .map(l -> CampaignProgress.of(l.campaign(), l.counts(), now, zone)).toList();
    }

    public List<InvalidRow> invalidRows(long id, int afterRow, int limit) {
        return store.invalidRows(id, afterRow, limit);
    }

    public MoveResult move(long id, Move move) {
        Optional<Campaign> found = store.find(id);
        if (found.isEmpty()) return new MoveResult(false, false, null);
        CampaignStatus from = found.get().status();
        CampaignStatus to = switch (move) {
            case PAUSE -> CampaignStatus.PAUSED;
            case RESUME -> CampaignStatus.RUNNING;
            case CANCEL -> CampaignStatus.CANCELLED;
        };
        if (!from.operatorMoves().contains(to)) return new MoveResult(true, false, from);
        boolean moved = store.move(id, from, to, clock.instant());
        return new MoveResult(true, moved, moved ? to : store.find(id).map(Campaign::status).orElse(from));
    }

    private static String cut(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }

    /**
     * Null when a campaign may start at {@code startAt} (null: at once; a time already past also means at once), else
     * what is wrong with it.
     */
    public String startAtProblem(Instant startAt) {
        if (startAt == null || !startAt.isAfter(clock.instant().plus(LATEST_START))) return null;
        return "startAt must be at most " + LATEST_START.toDays() + " days ahead";
    }

    /** "HH:mm-HH:mm" or "none"; null when well-formed, else what is wrong. */
    public static String quietHoursProblem(String v) {
        if (v == null || v.equalsIgnoreCase("none")) return null;
        String[] p = v.split("-");
        try {
            if (!v.matches("\\d{2}:\\d{2}-\\d{2}:\\d{2}")) throw new IllegalArgumentException();
            java.time.LocalTime.parse(p[0]);
            java.time.LocalTime.parse(p[1]);
            return null;
        } catch (RuntimeException e) {
            return "quietHours must look like 22:00-07:00 (local time) or be 'none'";
        }
    }
}
