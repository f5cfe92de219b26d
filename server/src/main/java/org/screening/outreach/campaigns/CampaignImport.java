package org.screening.outreach.campaigns;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.screening.outreach.domain.Masking;
import org.screening.outreach.intake.PhoneNormaliser;

/**
 * Streams the recipients of a new campaign into the store: each number normalised with libphonenumber (the rules
 * of the case intake), written in batches of {@code batchSize} so memory stays flat for a million rows. Rows
 * without a valid mobile number are counted, the first {@code keptInvalid} kept with their row number; a number
 * seen before in the campaign is counted as a duplicate and sent once. A file that cannot be read creates nothing.
 */
public final class CampaignImport {
    /** The counts of an import and its first invalid rows (for the create answer). */
    public record Result(long campaignId, int totalRows, int invalidRows, int duplicateRows, int optedOut,
                         int recipients, List<InvalidRow> firstInvalid) {}

    private final CampaignStore store;
    private final PhoneNormaliser phones = new PhoneNormaliser();
    private final int batchSize;
    private final int keptInvalid;
    private final java.time.Clock clock;

    public CampaignImport(CampaignStore store, int batchSize, int keptInvalid) {
        this(store, batchSize, keptInvalid, java.time.Clock.systemUTC());
    }

    /** {@code clock}: marks the import alive after each batch, so an interrupted one can be told apart. */
    public CampaignImport(CampaignStore store, int batchSize, int keptInvalid, java.time.Clock clock) {
        this.store = store;
        this.batchSize = batchSize;
        this.keptInvalid = keptInvalid;
        this.clock = clock;
    }

    public Result run(NewCampaign campaign, RecipientRows rows, Instant now) throws RecipientFileException {
        long id = store.create(campaign, now);
        Counter counter = new Counter(id);
        try {
            rows.read(counter::row);
            counter.flush();
        } catch (RecipientFileException | RuntimeException e) {
            store.delete(id);
            throw e;
        }
        int optedOut = store.finishImport(id, counter.total, counter.invalid, counter.duplicates, now);
        // The list shows the new campaign's recipients before the counts job comes round (as of the import's start:
        // at least that fresh).
        store.recount(id, now);
        int recipients = counter.total - counter.invalid - counter.duplicates;
        return new Result(id, counter.total, counter.invalid, counter.duplicates, optedOut, recipients,
                List.copyOf(counter.firstInvalid));
    }

    private final class Counter {
        final long campaignId;
        final List<String> batch = new ArrayList<>(batchSize);
        final List<InvalidRow> invalidBatch = new ArrayList<>();
        final List<InvalidRow> firstInvalid = new ArrayList<>();
        int total;
        int invalid;
        int duplicates;

        Counter(long campaignId) {
            this.campaignId = campaignId;
        }

        void row(int row, String raw) {
            total++;
            PhoneNormaliser.Result r = phones.normalise(raw);
            String problem = r.problem() != null ? r.problem()
                    : !r.phone().smsCapable() ? "phone is not a mobile number" : null;
            if (problem != null) {
                invalid++;
                if (invalid <= keptInvalid) {
                    InvalidRow bad = new InvalidRow(row, shown(raw), problem);
                    invalidBatch.add(bad);
                    if (firstInvalid.size() < 100) firstInvalid.add(bad);
                }
            } else {
                batch.add(r.phone().e164());
            }
            if (batch.size() >= batchSize || invalidBatch.size() >= batchSize) flush();
        }

        void flush() {
            if (!batch.isEmpty()) {
                // Repeats inside one batch are counted here; the store skips numbers already in the campaign.
                int distinct = (int) batch.stream().distinct().count();
                duplicates += batch.size() - distinct;
                duplicates += distinct - store.addRecipients(campaignId, batch.stream().distinct().toList());
                batch.clear();
                store.importSeen(campaignId, clock.instant());
            }
            if (!invalidBatch.isEmpty()) {
                store.addInvalidRows(campaignId, List.copyOf(invalidBatch));
                invalidBatch.clear();
            }
        }
    }

    /** The input as the report shows it: digit runs masked (a wrong number is still someone's number), cut short. */
    private static String shown(String raw) {
        String s = Masking.redactNumbers(raw == null ? "" : raw.strip());
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
