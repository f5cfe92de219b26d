package org.screening.outreach.campaigns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.screening.outreach.campaigns.CampaignSendingTest.T0;
import static org.screening.outreach.campaigns.CampaignSendingTest.listed;
import static org.screening.outreach.campaigns.CampaignSendingTest.numbered;
import static org.screening.outreach.campaigns.CampaignSendingTest.sender;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.dispatch.SmsRateShare;
import org.screening.outreach.store.JdbcCampaigns;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * Pause and cancel against a real MariaDB: what was in flight when the operator stopped a campaign gets its final
 * word, and nothing is claimed once the stop is answered, however the sender's run and the stop interleave.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CampaignStopTest {

    /** One schema per class: each test sends only its own campaign. */
    @BeforeEach
    void cancelCampaignsOfEarlierTests(TestDb db) {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        for (Campaign c : store.running()) store.move(c.id(), CampaignStatus.RUNNING, CampaignStatus.CANCELLED, T0);
    }

    @Test
    void aLargeQueueIsCancelledInBatchesAndOneLeftHalfWayIsFinishedByTheLeaseJob(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        // More than one batch of the cancel (10,000).
        List<String> phones = java.util.stream.IntStream.range(0, 10_050).mapToObj(i -> String.format("137%08d", i)).toList();
        CampaignImport.Result big = new CampaignImport(store, 1000, 10).run(CampaignSendingTest.campaign(null, T0),
                RecipientRows.list(phones), T0);
        Campaigns campaigns = new Campaigns(store, null, null, null, clock);
        assertThat(campaigns.move(big.campaignId(), Campaigns.Move.CANCEL).moved()).isTrue();
        CampaignProgress cancelled = campaigns.progress(big.campaignId()).orElseThrow();
        assertThat(cancelled.cancelled()).isEqualTo(10_050);
        assertThat(cancelled.queued()).isZero();

        // A node stopped between the status and its queue: the lease job cancels what is left, and only that.
        CampaignImport.Result left = numbered(store, "1370001", 30);
        CampaignImport.Result running = numbered(store, "1370002", 30);
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("UPDATE campaigns SET status = 'CANCELLED' WHERE id = ?")) {
            ps.setLong(1, left.campaignId());
            ps.executeUpdate();
        }
        // The running one has a lease that ran out, so the lease job looks at it too.
        store.claim(running.campaignId(), 0, 1, T0.plusSeconds(10));
        clock.advance(Duration.ofMinutes(1));
        new CampaignLeaseJob(store, clock).runOnce();
        assertThat(store.counts(left.campaignId())).containsOnlyKeys(RecipientStatus.CANCELLED)
                .containsEntry(RecipientStatus.CANCELLED, 30L);
        assertThat(store.counts(running.campaignId())).as("a running campaign's queue is not cancelled")
                .containsOnlyKeys(RecipientStatus.PENDING).containsEntry(RecipientStatus.PENDING, 30L);
    }

    @Test
    void recipientsStillSendingWhenTheCampaignIsCancelledAreCancelledOnceTheirLeasesEnd(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = listed(store, "13600000031", "13600000032", "13600000033");
        SmsDoubles.FailingSms sms = new SmsDoubles.FailingSms(); // down: Twilio's retries run out, nothing sent
        sms.refused.add("+8613600000033");
        Campaigns campaigns = new Campaigns(store, null, null, null, clock);
        CampaignSendJob job = sender(store, sms, new SmsRateShare(1000, 1.0, clock), clock, 100);
        CampaignLeaseJob leases = new CampaignLeaseJob(store, clock);

        clock.advance(Duration.ofSeconds(1));
        job.runOnce();
        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.CANCEL).moved()).isTrue();
        sms.down = false;
        clock.advance(Duration.ofSeconds(30));
        leases.runOnce();
        CampaignProgress leased = campaigns.progress(r.campaignId()).orElseThrow();
        assertThat(leased.sending()).as("under lease: a report may still come").isEqualTo(2);
        assertThat(leased.sent()).as("Twilio took none of them").isZero();
        assertThat(leased.percent()).isEqualTo(33.3);

        clock.advance(Duration.ofMinutes(2));
        leases.runOnce();
        job.runOnce();
        CampaignProgress done = campaigns.progress(r.campaignId()).orElseThrow();
        assertThat(done.sent()).isZero();
        assertThat(done.sending()).isZero();
        assertThat(done.queued()).isZero();
        assertThat(done.cancelled()).isEqualTo(2);
        assertThat(done.failed()).isEqualTo(1);
        assertThat(done.percent()).isEqualTo(100.0);
        assertThat(done.eta()).isEqualTo(Duration.ZERO);
        assertThat(sms.delivered).as("a cancelled campaign sends nothing again").isEmpty();

        // The node may have died after Twilio took the text: a receipt arriving now says it did go.
        long leaseCancelled = recipientIds(db, r.campaignId(), RecipientStatus.CANCELLED).get(0);
        assertThat(store.advance(leaseCancelled, RecipientStatus.DELIVERED, "SM00000000000000000000000000000031", null))
                .isTrue();
        assertThat(store.advance(leaseCancelled, RecipientStatus.FAILED, null, "30003")).as("delivered is final").isFalse();
        CampaignProgress late = campaigns.progress(r.campaignId()).orElseThrow();
        assertThat(late.delivered()).isEqualTo(1);
        assertThat(late.cancelled()).isEqualTo(1);
        assertThat(late.percent()).isEqualTo(100.0);
    }

    @Test
    void aReceiptForARecipientCancelledBeforeItsTurnIsIgnored(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        CampaignImport.Result r = listed(store, "13600000051", "13600000052");
        Campaigns campaigns = new Campaigns(store, null, null, null, new MutableClock(T0));
        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.CANCEL).moved()).isTrue();

        long neverSent = recipientIds(db, r.campaignId(), RecipientStatus.CANCELLED).get(0);
        assertThat(store.advance(neverSent, RecipientStatus.DELIVERED, "SM00000000000000000000000000000051", null)).isFalse();
        assertThat(campaigns.progress(r.campaignId()).orElseThrow().cancelled()).isEqualTo(2);
    }

    private static List<Long> recipientIds(TestDb db, long campaignId, RecipientStatus status) throws Exception {
        try (Connection c = db.database().connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id FROM campaign_recipients WHERE campaign_id = ? AND status = ? ORDER BY id")) {
            ps.setLong(1, campaignId);
            ps.setInt(2, status.code());
            List<Long> ids = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) ids.add(rs.getLong(1));
            }
            return ids;
        }
    }

    @Test
    void aPausedCampaignsExpiredLeasesGoBackToTheQueueAndResumeSendsThem(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = listed(store, "13600000041", "13600000042");
        SmsDoubles.FailingSms sms = new SmsDoubles.FailingSms();
        Campaigns campaigns = new Campaigns(store, null, null, null, clock);
        CampaignSendJob job = sender(store, sms, new SmsRateShare(1000, 1.0, clock), clock, 100);
        CampaignLeaseJob leases = new CampaignLeaseJob(store, clock);

        clock.advance(Duration.ofSeconds(1));
        job.runOnce();
        campaigns.move(r.campaignId(), Campaigns.Move.PAUSE);
        clock.advance(Duration.ofMinutes(3));
        leases.runOnce();
        CampaignProgress paused = campaigns.progress(r.campaignId()).orElseThrow();
        assertThat(paused.queued()).as("waiting for the resume, not in flight").isEqualTo(2);
        assertThat(paused.sent()).isZero();

        sms.down = false;
        campaigns.move(r.campaignId(), Campaigns.Move.RESUME);
        job.runOnce();
        assertThat(sms.delivered).containsExactlyInAnyOrder("+8613600000041", "+8613600000042");
        assertThat(store.find(r.campaignId()).orElseThrow().status()).isEqualTo(CampaignStatus.COMPLETED);
    }

    /** The operator's move lands after the sender listed the campaign as running and before it claims. */
    @ParameterizedTest
    @EnumSource(value = Campaigns.Move.class, names = {"PAUSE", "CANCEL"})
    void nothingIsClaimedOnceAPauseOrCancelIsAnswered(Campaigns.Move move, TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = numbered(store, "1380001", 20);
        Campaigns campaigns = new Campaigns(store, null, null, null, clock);
        SmsDoubles.RecordingSms sms = new SmsDoubles.RecordingSms(new Capacity(100, 100));
        CampaignSendJob job = sender(stoppedAfterListing(store, campaigns, r.campaignId(), move), sms,
                new SmsRateShare(100, 1.0, clock), clock, 100);

        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runOnce()).isZero();
        assertThat(sms.sent).isEmpty();
        RecipientStatus left = move == Campaigns.Move.PAUSE ? RecipientStatus.PENDING : RecipientStatus.CANCELLED;
        assertThat(store.counts(r.campaignId())).containsOnlyKeys(left).containsEntry(left, 20L);
    }

    /** {@code store}, whose {@link CampaignStore#running} lets the operator make {@code move} just after it answers. */
    private static CampaignStore stoppedAfterListing(JdbcCampaigns store, Campaigns operator, long id, Campaigns.Move move) {
        return (CampaignStore) Proxy.newProxyInstance(CampaignStore.class.getClassLoader(),
                new Class<?>[] {CampaignStore.class}, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(store, args);
                        if (method.getName().equals("running")) assertThat(operator.move(id, move).moved()).isTrue();
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void aClaimWaitsForAPauseUnderWayAndThenClaimsNothing(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        CampaignImport.Result r = numbered(store, "1380002", 5);
        List<Recipient> claimed = whileTheOperatorMoves(db, r.campaignId(), CampaignStatus.PAUSED,
                () -> store.claim(r.campaignId(), 0, 10, T0.plusSeconds(120)));
        assertThat(claimed).isEmpty();
        assertThat(store.counts(r.campaignId())).containsOnlyKeys(RecipientStatus.PENDING);
    }

    @Test
    void anExpiredLeaseReapedAsTheCampaignIsCancelledIsCancelledNotQueuedAgain(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        CampaignImport.Result r = numbered(store, "1380003", 3);
        store.claim(r.campaignId(), 0, 10, T0.plusSeconds(120));
        Instant later = T0.plusSeconds(180);
        int reaped = whileTheOperatorMoves(db, r.campaignId(), CampaignStatus.CANCELLED,
                () -> store.reapExpiredLeases(r.campaignId(), later));
        assertThat(reaped).isEqualTo(3);
        assertThat(store.counts(r.campaignId())).containsOnlyKeys(RecipientStatus.CANCELLED);
    }

    /**
     * Runs {@code work} on another thread while an operator's transaction has locked the campaign row and moved it to
     * {@code to} (what {@link CampaignStore#move} does first); commits once {@code work} waits for that lock, and
     * returns what {@code work} returned.
     */
    private static <T> T whileTheOperatorMoves(TestDb db, long id, CampaignStatus to, Supplier<T> work) throws Exception {
        try (Connection operator = db.database().connection()) {
            operator.setAutoCommit(false);
            execute(operator, "SELECT id FROM campaigns WHERE id = ? FOR UPDATE", id);
            execute(operator, "UPDATE campaigns SET status = '" + to.name() + "' WHERE id = ?", id);
            if (to == CampaignStatus.CANCELLED) {
                execute(operator, "UPDATE campaign_recipients SET status = " + RecipientStatus.CANCELLED.code()
                        + " WHERE campaign_id = ? AND status = " + RecipientStatus.PENDING.code(), id);
            }
            // A thread of its own: the common pool has one thread on a 2-core machine, and in the whole suite another
            // test's task may hold it, so the work would never start.
            java.util.concurrent.ExecutorService own = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                CompletableFuture<T> result = CompletableFuture.supplyAsync(work, own);
                Await.until("the work waits for the campaign row", Duration.ofSeconds(30), () -> waitsOnCampaignRow(db));
                operator.commit();
                return result.get(30, TimeUnit.SECONDS);
            } finally {
                own.shutdownNow();
            }
        }
    }

    private static void execute(Connection c, String sql, long id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            ps.execute();
        }
    }

    /**
     * Whether a connection is stuck in the campaign-row read that claims and reaps start with. The server shows it
     * in PROCESSLIST while it waits (InnoDB's lock-wait tables miss a wait taken while the optimizer reads a row by
     * its primary key, state "Statistics"); the read itself takes microseconds, so one still running waits.
     */
    private static boolean waitsOnCampaignRow(TestDb db) {
        try (Connection c = db.database().connection(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE "
                        + "'SELECT status FROM campaigns WHERE id = % LOCK IN SHARE MODE'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1) > 0;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
