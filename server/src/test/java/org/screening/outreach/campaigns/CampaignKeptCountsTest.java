package org.screening.outreach.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.screening.outreach.campaigns.CampaignSendingTest.T0;
import static org.screening.outreach.campaigns.CampaignSendingTest.numbered;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.campaigns.CampaignStore.Advance;
import org.screening.outreach.store.JdbcCampaigns;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * The campaigns list against a real MariaDB: it shows the counts the counts job kept, not a count per view; an ended
 * campaign's figures are kept when it ends and until its last receipts are in; nodes counting at once never add up.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CampaignKeptCountsTest {
    private JdbcCampaigns store;
    private MutableClock clock;
    private Campaigns campaigns;
    private CampaignCountsJob job;

    /** One schema per class: earlier tests' campaigns are ended, so each test counts only its own. */
    @BeforeEach
    void setUp(TestDb db) {
        store = new JdbcCampaigns(db.database());
        for (Campaign c : store.running()) store.move(c.id(), CampaignStatus.RUNNING, CampaignStatus.CANCELLED, T0);
        clock = new MutableClock(T0);
        campaigns = new Campaigns(store, null, null, null, clock);
        job = new CampaignCountsJob(store, clock);
    }

    @Test
    void theListShowsKeptCountsUntilTheJobCountsAgainThenTheDetailsFigures() throws Exception {
        long id = numbered(store, "1391000", 10).campaignId();
        assertThat(listed(id).queued()).as("counted at the end of the import").isEqualTo(10);
        assertThat(listed(id).asOf()).isEqualTo(T0);

        clock.advance(Duration.ofSeconds(5));
        List<Recipient> claimed = store.claim(id, 0, 4, clock.instant().plusSeconds(120));
        store.advanceAll(List.of(new Advance(claimed.get(0).id(), RecipientStatus.DELIVERED, "SM0", null),
                new Advance(claimed.get(1).id(), RecipientStatus.DELIVERED, "SM1", null),
                new Advance(claimed.get(2).id(), RecipientStatus.FAILED, "SM2", "30003"),
                new Advance(claimed.get(3).id(), RecipientStatus.QUEUED, "SM3", null)));

        CampaignProgress stale = listed(id);
        assertThat(stale.queued()).as("the list counts nothing itself").isEqualTo(10);
        assertThat(stale.delivered()).isZero();
        assertThat(stale.asOf()).isEqualTo(T0);
        assertThat(campaigns.progress(id).orElseThrow().delivered()).as("the detail counts live").isEqualTo(2);

        assertThat(store.countsDue()).contains(id);
        assertThat(job.runOnce()).isPositive();
        CampaignProgress kept = listed(id);
        assertThat(kept).isEqualTo(campaigns.progress(id).orElseThrow());
        assertThat(kept.queued()).isEqualTo(6);
        assertThat(kept.delivered()).isEqualTo(2);
        assertThat(kept.failed()).isEqualTo(1);
        assertThat(kept.sent()).isEqualTo(1);
        assertThat(kept.asOf()).isEqualTo(clock.instant());
    }

    @Test
    void aCompletedCampaignsFiguresAreKeptWhenItEndsAndAgainUntilItsLastReceiptIsIn() throws Exception {
        long id = numbered(store, "1391001", 5).campaignId();
        clock.advance(Duration.ofSeconds(5));
        List<Recipient> all = store.claim(id, 0, 5, clock.instant().plusSeconds(120));
        store.advanceAll(List.of(new Advance(all.get(0).id(), RecipientStatus.DELIVERED, "SM0", null),
                new Advance(all.get(1).id(), RecipientStatus.DELIVERED, "SM1", null),
                new Advance(all.get(2).id(), RecipientStatus.DELIVERED, "SM2", null),
                new Advance(all.get(3).id(), RecipientStatus.FAILED, "SM3", "30003"),
                new Advance(all.get(4).id(), RecipientStatus.SENT, "SM4", null)));
        clock.advance(Duration.ofSeconds(5));
        assertThat(store.completeIfDone(id, clock.instant())).isTrue();

        CampaignProgress ended = listed(id);
        assertThat(ended).as("exact at the end, no counts job run").isEqualTo(campaigns.progress(id).orElseThrow());
        assertThat(ended.campaign().status()).isEqualTo(CampaignStatus.COMPLETED);
        assertThat(ended.delivered()).isEqualTo(3);
        assertThat(ended.sent()).isEqualTo(1);
        assertThat(store.countsDue()).as("one text still awaits its receipt").contains(id);

        clock.advance(Duration.ofMinutes(1));
        store.advance(all.get(4).id(), RecipientStatus.DELIVERED, "SM4", null);
        assertThat(listed(id).delivered()).isEqualTo(3);
        job.runOnce();
        CampaignProgress last = listed(id);
        assertThat(last).isEqualTo(campaigns.progress(id).orElseThrow());
        assertThat(last.delivered()).isEqualTo(4);
        assertThat(last.percent()).isEqualTo(100.0);
        assertThat(store.countsDue()).as("every recipient has its final word: never counted again").doesNotContain(id);
        assertThat(store.recount(id, clock.instant().plusSeconds(60))).isFalse();
    }

    @Test
    void aCancelledCampaignShowsItsCancelledQueueAtOnceAndItsLastFiguresOnceItsTextsInFlightEnd() throws Exception {
        long id = numbered(store, "1391002", 10).campaignId();
        clock.advance(Duration.ofSeconds(5));
        store.claim(id, 0, 3, clock.instant().plusSeconds(120));

        assertThat(campaigns.move(id, Campaigns.Move.CANCEL).moved()).isTrue();
        CampaignProgress cancelled = listed(id);
        assertThat(cancelled).isEqualTo(campaigns.progress(id).orElseThrow());
        assertThat(cancelled.cancelled()).isEqualTo(7);
        assertThat(cancelled.sending()).isEqualTo(3);
        assertThat(store.countsDue()).as("its texts in flight have no final word yet").contains(id);

        // Their lease runs out with no word: cancelled (may have gone); the job's count is now the last.
        clock.advance(Duration.ofMinutes(3));
        new CampaignLeaseJob(store, clock).runOnce();
        job.runOnce();
        CampaignProgress last = listed(id);
        assertThat(last.cancelled()).isEqualTo(10);
        assertThat(last.sending()).isZero();
        assertThat(last.asOf()).isEqualTo(clock.instant());
        assertThat(store.countsDue()).doesNotContain(id);
    }

    @Test
    void anEndedCampaignsLastFiguresReplaceACountStampedLaterWhileItRan() throws Exception {
        long id = numbered(store, "1391004", 10).campaignId();
        clock.advance(Duration.ofSeconds(5));
        // A node whose clock runs ahead counted the running campaign "later" than the cancel below.
        assertThat(store.recount(id, clock.instant().plusSeconds(30))).isTrue();

        assertThat(campaigns.move(id, Campaigns.Move.CANCEL).moved()).isTrue();
        CampaignProgress last = listed(id);
        assertThat(last.cancelled()).isEqualTo(10);
        assertThat(last.queued()).isZero();
        assertThat(last.asOf()).isEqualTo(clock.instant());
        assertThat(store.countsDue()).doesNotContain(id);
    }

    @Test
    void nodesCountingAtOnceKeepWholeFiguresAndAnOlderCountNeverReplacesANewerOne(TestDb db) throws Exception {
        long id = numbered(store, "1391003", 20).campaignId();
        clock.advance(Duration.ofSeconds(5));
        List<Recipient> claimed = store.claim(id, 0, 8, clock.instant().plusSeconds(120));
        // Two nodes, each with its own store and job, counting together (a run that outlasted its lease).
        JdbcCampaigns otherNode = new JdbcCampaigns(db.database());
        CampaignCountsJob otherJob = new CampaignCountsJob(otherNode, clock);
        CyclicBarrier together = new CyclicBarrier(2);
        for (int round = 0; round < 5; round++) {
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> runTogether(together, job));
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> runTogether(together, otherJob));
            a.get(30, TimeUnit.SECONDS);
            b.get(30, TimeUnit.SECONDS);
        }
        CampaignProgress both = listed(id);
        assertThat(both.recipients()).isEqualTo(20);
        assertThat(both.sending()).isEqualTo(8);
        assertThat(both.queued()).isEqualTo(12);

        // A count that began earlier than the one kept but finishes after it is dropped (here it even saw more).
        Instant earlier = clock.instant();
        clock.advance(Duration.ofSeconds(30));
        Instant later = clock.instant();
        assertThat(store.recount(id, later)).isTrue();
        store.advanceAll(claimed.stream().map(r -> new Advance(r.id(), RecipientStatus.DELIVERED, "SM" + r.id(), null))
                .toList());
        assertThat(otherNode.recount(id, earlier)).isFalse();
        assertThat(listed(id).asOf()).isEqualTo(later);
        assertThat(listed(id).sending()).isEqualTo(8);
    }

    private static int runTogether(CyclicBarrier together, CampaignCountsJob job) {
        try {
            together.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return job.runOnce();
    }

    private CampaignProgress listed(long id) {
        return campaigns.list("", Long.MAX_VALUE, 100).stream().filter(p -> p.campaign().id() == id).findFirst()
                .orElseThrow();
    }
}
