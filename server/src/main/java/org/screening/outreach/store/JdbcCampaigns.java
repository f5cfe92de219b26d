package org.screening.outreach.store;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.campaigns.Campaign;
import org.screening.outreach.campaigns.CampaignStatus;
import org.screening.outreach.campaigns.CampaignStore;
import org.screening.outreach.campaigns.InvalidRow;
import org.screening.outreach.campaigns.NewCampaign;
import org.screening.outreach.campaigns.Recipient;
import org.screening.outreach.campaigns.RecipientStatus;

/**
 * SQL behind {@link CampaignStore}, one class per concern: making a campaign ({@link JdbcCampaignImports}), its
 * send queue ({@link JdbcCampaignQueue}), its status moves and lists ({@link JdbcCampaignStatuses}) and its
 * recipients counted, live or kept for the list ({@link JdbcCampaignCounts}). Times are
 * stored as UTC text ({@link Sql#utc}).
 */
public final class JdbcCampaigns implements CampaignStore {
    private final JdbcCampaignImports imports;
    private final JdbcCampaignQueue queue;
    private final JdbcCampaignStatuses statuses;
    private final JdbcCampaignCounts counts;

    /** In the default zone, Asia/Shanghai. */
    public JdbcCampaigns(Database db) {
        this(db, org.screening.outreach.domain.QuietHours.defaults().zone());
    }

    public JdbcCampaigns(Database db, ZoneId zone) {
        this.imports = new JdbcCampaignImports(db);
        this.queue = new JdbcCampaignQueue(db);
        this.counts = new JdbcCampaignCounts(db);
        this.statuses = new JdbcCampaignStatuses(db, zone, queue, counts);
    }

    @Override
    public long create(NewCampaign campaign, Instant now) {
        return imports.create(campaign, now);
    }

    @Override
    public int addRecipients(long campaignId, List<String> phones) {
        return imports.addRecipients(campaignId, phones);
    }

    @Override
    public void addInvalidRows(long campaignId, List<InvalidRow> rows) {
        imports.addInvalidRows(campaignId, rows);
    }

    @Override
    public int finishImport(long campaignId, int totalRows, int invalidRows, int duplicateRows, Instant now) {
        return imports.finishImport(campaignId, totalRows, invalidRows, duplicateRows, now);
    }

    @Override
    public void delete(long campaignId) {
        imports.delete(campaignId);
    }

    @Override
    public void importSeen(long campaignId, Instant now) {
        imports.importSeen(campaignId, now);
    }

    @Override
    public List<Long> abandonedImports(Instant before) {
        return imports.abandonedImports(before);
    }

    @Override
    public List<InvalidRow> invalidRows(long campaignId, int afterRow, int limit) {
        return imports.invalidRows(campaignId, afterRow, limit);
    }

    @Override
    public Optional<Campaign> find(long campaignId) {
        return statuses.find(campaignId);
    }

    @Override
    public Map<RecipientStatus, Long> counts(long campaignId) {
        return counts.counts(campaignId);
    }

    @Override
    public boolean recount(long campaignId, Instant at) {
        return counts.recount(campaignId, at);
    }

    @Override
    public List<Long> countsDue() {
        return counts.countsDue();
    }

    @Override
    public boolean move(long campaignId, CampaignStatus from, CampaignStatus to, Instant now) {
        return statuses.move(campaignId, from, to, now);
    }

    @Override
    public List<Listed> list(String jurisdictionPrefix, long beforeId, int limit) {
        return statuses.list(jurisdictionPrefix, beforeId, limit);
    }

    @Override
    public List<Campaign> running() {
        return statuses.running();
    }

    @Override
    public boolean completeIfDone(long campaignId, Instant now) {
        return statuses.completeIfDone(campaignId, now);
    }

    @Override
    public List<Recipient> claim(long campaignId, long afterId, int limit, Instant leaseUntil) {
        return queue.claim(campaignId, afterId, limit, leaseUntil);
    }

    @Override
    public boolean advance(long recipientId, RecipientStatus to, String providerRef, String errorCode) {
        return queue.advance(recipientId, to, providerRef, errorCode);
    }

    @Override
    public void requeue(List<Long> recipientIds) {
        queue.requeue(recipientIds);
    }

    @Override
    public void advanceAll(List<Advance> advances) {
        queue.advanceAll(advances);
    }

    @Override
    public long cancelQueue(long campaignId) {
        return queue.cancelQueue(campaignId);
    }

    @Override
    public List<Long> withExpiredLeases(Instant now) {
        return queue.withExpiredLeases(now);
    }

    @Override
    public int reapExpiredLeases(long campaignId, Instant now) {
        return queue.reapExpiredLeases(campaignId, now);
    }
}
