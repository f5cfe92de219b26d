package org.screening.outreach.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.ChannelAdapter;
import org.screening.outreach.dispatch.Dispatcher;
import org.screening.outreach.dispatch.SmsRateShare;
import org.screening.outreach.store.JdbcCampaigns;
import org.screening.outreach.store.JdbcOptOuts;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/** Campaigns against a real MariaDB: streaming import, invalid / duplicate / opted-out numbers, sending, control. */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CampaignSendingTest {
    static final Instant T0 = Instant.parse("2022-04-01T02:00:00Z"); // 10:00 in Chengdu, outside quiet hours

    /** One schema per class: each test sends only its own campaign. */
    @BeforeEach
    void cancelCampaignsOfEarlierTests(TestDb db) {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        for (Campaign c : store.running()) store.move(c.id(), CampaignStatus.RUNNING, CampaignStatus.CANCELLED, T0);
    }

    static NewCampaign campaign(String quiet, Instant start) {
        return new NewCampaign("test", "campaign.notice", "zh-CN", Map.of("sender", "s", "text", "t"), "【s】t",
                "51", "token:admin", start, quiet);
    }

    static CampaignSendJob sender(CampaignStore store, ChannelAdapter sms, SmsRateShare rate,
                                  MutableClock clock, int maxPerRun) {
        return new CampaignSendJob(store, sms, new CampaignBodies(), rate, () -> 0, clock, ZoneOffset.ofHours(8),
                Duration.ofMinutes(2), maxPerRun, Runnable::run);
    }

    /** A running campaign of {@code count} numbers: the prefix and a 4-digit serial. */
    static CampaignImport.Result numbered(JdbcCampaigns store, String prefix, int count) throws Exception {
        List<String> phones = java.util.stream.IntStream.range(0, count).mapToObj(i -> String.format(prefix + "%04d", i)).toList();
        return new CampaignImport(store, 100, 10).run(campaign(null, T0), RecipientRows.list(phones), T0);
    }

    @Test
    void anImportThatStoppedMidFileIsRemovedWhileOneStillGoingIsLeftAlone(TestDb db) {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        long dead = store.create(campaign(null, T0), T0);
        store.addRecipients(dead, List.of("+8613900001001", "+8613900001002"));
        store.importSeen(dead, T0);
        long alive = store.create(campaign(null, T0), T0);
        CampaignLeaseJob job = new CampaignLeaseJob(store, clock);

        clock.advance(Duration.ofMinutes(2));
        store.importSeen(alive, clock.instant());
        job.runOnce();
        assertThat(store.find(dead)).as("2 minutes quiet is not yet dead").isPresent();

        clock.advance(Duration.ofMinutes(2));
        job.runOnce();
        assertThat(store.find(dead)).as("4 minutes without a batch: its node is gone").isEmpty();
        assertThat(store.counts(dead)).isEmpty();
        assertThat(store.find(alive)).isPresent();
        assertThat(store.find(alive).get().status()).isEqualTo(CampaignStatus.IMPORTING);
        store.delete(alive);
    }

    @Test
    void aLargeGeneratedFileStreamsInAndIsSentToTheLast(TestDb db, @TempDir Path dir) throws Exception {
        // 100,000 data rows: every 1,000th invalid, every 500th a repeat of the row before.
        Path csv = dir.resolve("recipients.csv");
        int rows = 100_000;
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            w.write("手机号码,备注\n");
            for (int i = 1; i <= rows; i++) {
                if (i % 1000 == 0) w.write("12345,bad\n");
                else if (i % 500 == 0) w.write(String.format("1390%07d,dup%n", i - 1));
                else w.write(String.format("1390%07d,ok%n", i));
            }
        }
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = new CampaignImport(store, 1000, 10_000).run(campaign(null, T0), RecipientRows.file(csv), T0);
        assertThat(r.totalRows()).isEqualTo(rows);
        assertThat(r.invalidRows()).isEqualTo(100);
        assertThat(r.duplicateRows()).isEqualTo(100);
        assertThat(r.recipients()).isEqualTo(rows - 200);
        assertThat(r.firstInvalid().get(0)).isEqualTo(new InvalidRow(1000, "12345", "phone is too short"));
        assertThat(store.invalidRows(r.campaignId(), 99_000, 10)).extracting(InvalidRow::row).containsExactly(100_000);

        SmsDoubles.RecordingSms sms = new SmsDoubles.RecordingSms(new Capacity(1_000_000, 100_000));
        CampaignSendJob job = sender(store, sms, new SmsRateShare(100_000, 1.0, clock), clock, 20_000);
        int runs = 0;
        while (store.find(r.campaignId()).orElseThrow().status() == CampaignStatus.RUNNING && runs++ < 50) {
            clock.advance(Duration.ofSeconds(1));
            job.runOnce();
        }
        CampaignProgress p = CampaignProgress.of(store.find(r.campaignId()).orElseThrow(), store.counts(r.campaignId()),
                clock.instant());
        assertThat(p.campaign().status()).isEqualTo(CampaignStatus.COMPLETED);
        assertThat(p.percent()).isEqualTo(100.0);
        assertThat(p.delivered()).isEqualTo(rows - 200);
        assertThat(p.queued()).isZero();
        assertThat(sms.sent).hasSize(rows - 200).doesNotHaveDuplicates();
        assertThat(sms.phones).doesNotHaveDuplicates();
    }

    @Test
    void optedOutNumbersGetNothingBeforeOrDuringTheCampaign(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        JdbcOptOuts optOuts = new JdbcOptOuts(db.database());
        optOuts.optOut("+8613911110001", T0);
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = new CampaignImport(store, 2, 10).run(campaign(null, T0), RecipientRows.list(
                List.of("13911110001", "139 1111 0002", "+86 139-1111-0003", "13911110002", "010-6512 3456", "abc")), T0);
        assertThat(r.optedOut()).isEqualTo(1);
        assertThat(r.duplicateRows()).isEqualTo(1);
        assertThat(r.invalidRows()).isEqualTo(2); // a landline cannot take an SMS; letters are no number
        assertThat(r.firstInvalid()).extracting(InvalidRow::row).containsExactly(5, 6);
        optOuts.optOut("+8613911110003", T0); // replies STOP to something else mid-campaign

        SmsDoubles.RecordingSms sms = new SmsDoubles.RecordingSms(new Capacity(100, 100));
        CampaignSendJob job = sender(store, sms, new SmsRateShare(100, 1.0, clock), clock, 100);
        clock.advance(Duration.ofSeconds(1));
        job.runOnce();
        job.runOnce();
        assertThat(sms.phones).containsExactly("+8613911110002");
        Map<RecipientStatus, Long> counts = store.counts(r.campaignId());
        assertThat(counts).containsEntry(RecipientStatus.OPTED_OUT, 2L).containsEntry(RecipientStatus.DELIVERED, 1L);
        assertThat(store.find(r.campaignId()).orElseThrow().status()).isEqualTo(CampaignStatus.COMPLETED);
    }

    @Test
    void outcomesOnlyMoveARecipientForwardAndKeepTheProvidersWords(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        CampaignImport.Result r = new CampaignImport(store, 100, 10).run(campaign(null, T0),
                RecipientRows.list(List.of("13600000001", "13600000002", "13600000003")), T0);
        List<Recipient> claimed = store.claim(r.campaignId(), 0, 10, T0.plusSeconds(120));
        long a = claimed.get(0).id(), b = claimed.get(1).id(), c = claimed.get(2).id();
        store.advanceAll(List.of(new CampaignStore.Advance(a, RecipientStatus.QUEUED, "SMa", null),
                new CampaignStore.Advance(b, RecipientStatus.QUEUED, "SMb", null),
                new CampaignStore.Advance(c, RecipientStatus.FAILED, null, "21211")));
        store.advanceAll(List.of(new CampaignStore.Advance(a, RecipientStatus.DELIVERED, null, null),
                new CampaignStore.Advance(b, RecipientStatus.FAILED, null, "30003"),
                new CampaignStore.Advance(c, RecipientStatus.QUEUED, "SMc", null))); // late: c is final already
        assertThat(store.advance(a, RecipientStatus.SENT, null, null)).isFalse(); // stale callback
        try (var conn = db.database().connection(); var ps = conn.prepareStatement(
                "SELECT id, status, provider_ref, error_code FROM campaign_recipients WHERE campaign_id = ? ORDER BY id")) {
            ps.setLong(1, r.campaignId());
            List<String> rows = new java.util.ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) rows.add(rs.getInt(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            }
            assertThat(rows).containsExactly("10|SMa|null", "11|SMb|30003", "11|null|21211");
        }
    }

    @Test
    void aTextThatMayHaveGoneCountsAsDeliveredOnceTwilioSaysSoButAReportedFailureStays(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = listed(store, "13600000021", "13600000022", "13600000023");
        SmsDoubles.FailingSms sms = new SmsDoubles.FailingSms();
        sms.down = false;
        sms.unanswered.add("+8613600000021");
        sms.refused.add("+8613600000022");
        CampaignSendJob job = sender(store, sms, new SmsRateShare(1000, 1.0, clock), clock, 100);
        clock.advance(Duration.ofSeconds(1));
        job.runOnce();
        assertThat(store.counts(r.campaignId())).containsEntry(RecipientStatus.FAILED, 2L)
                .containsEntry(RecipientStatus.DELIVERED, 1L);
        long unanswered = recipientOf(db, r.campaignId(), "+8613600000021");
        long refused = recipientOf(db, r.campaignId(), "+8613600000022");

        // Twilio's callbacks: the text whose answer was lost did go; the refused number never had a message.
        assertThat(store.advance(unanswered, RecipientStatus.SENT, "SMu", null)).as("not a delivery receipt").isFalse();
        assertThat(store.advance(unanswered, RecipientStatus.DELIVERED, "SMu", null)).isTrue();
        assertThat(store.advance(unanswered, RecipientStatus.DELIVERED, "SMu", null)).as("once").isFalse();
        assertThat(store.advance(refused, RecipientStatus.DELIVERED, "SMr", null)).isFalse();
        assertThat(store.counts(r.campaignId())).containsEntry(RecipientStatus.DELIVERED, 2L)
                .containsEntry(RecipientStatus.FAILED, 1L);
        assertThat(sms.delivered).containsExactly("+8613600000023"); // nothing was sent again
    }

    /** Twilio's own failure report for a text we gave up as "may have gone" is the better word: its code is kept. */
    @Test
    void aFailureReportForATextThatMayHaveGoneKeepsTwiliosCode(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = listed(store, "13600000031", "13600000032");
        SmsDoubles.FailingSms sms = new SmsDoubles.FailingSms();
        sms.down = false;
        sms.unanswered.add("+8613600000031");
        sms.unanswered.add("+8613600000032");
        CampaignSendJob job = sender(store, sms, new SmsRateShare(1000, 1.0, clock), clock, 100);
        clock.advance(Duration.ofSeconds(1));
        job.runOnce();
        long undelivered = recipientOf(db, r.campaignId(), "+8613600000031");
        long silent = recipientOf(db, r.campaignId(), "+8613600000032");
        assertThat(errorCode(db, undelivered)).isEqualTo(CampaignStore.MAYBE_SENT);

        assertThat(store.advance(undelivered, RecipientStatus.FAILED, "SMu", "30003")).isTrue();
        assertThat(errorCode(db, undelivered)).isEqualTo("30003");
        assertThat(store.advance(undelivered, RecipientStatus.DELIVERED, "SMu", null)).as("Twilio's failure is final")
                .isFalse();
        assertThat(store.advance(silent, RecipientStatus.FAILED, "SMs", null)).as("no code: nothing better to keep")
                .isFalse();
        assertThat(errorCode(db, silent)).isEqualTo(CampaignStore.MAYBE_SENT);
        assertThat(store.counts(r.campaignId())).containsEntry(RecipientStatus.FAILED, 2L);
    }

    static String errorCode(TestDb db, long recipientId) throws Exception {
        try (var conn = db.database().connection(); var ps = conn.prepareStatement(
                "SELECT error_code FROM campaign_recipients WHERE id = ?")) {
            ps.setLong(1, recipientId);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    static CampaignImport.Result listed(JdbcCampaigns store, String... phones) throws Exception {
        return new CampaignImport(store, 100, 10).run(campaign(null, T0), RecipientRows.list(List.of(phones)), T0);
    }

    static long recipientOf(TestDb db, long campaignId, String phone) throws Exception {
        try (var conn = db.database().connection(); var ps = conn.prepareStatement(
                "SELECT id FROM campaign_recipients WHERE campaign_id = ? AND phone = ?")) {
            ps.setLong(1, campaignId);
            ps.setString(2, phone);
            try (var rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aProviderOutageLeavesRecipientsToBeSentAgainNotFailed(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = listed(store, "13600000011", "13600000012", "13600000013");
        SmsDoubles.FailingSms sms = new SmsDoubles.FailingSms();
        sms.refused.add("+8613600000013");
        CampaignSendJob job = new CampaignSendJob(store, sms, new CampaignBodies(), new SmsRateShare(1000, 1.0, clock),
                () -> 0, clock, ZoneOffset.ofHours(8), Duration.ofMinutes(2), 100, Runnable::run);
        CampaignLeaseJob leases = new CampaignLeaseJob(store, clock);

        clock.advance(Duration.ofSeconds(1));
        job.runOnce();
        assertThat(store.counts(r.campaignId())).as("Twilio down: kept under lease, not failed; 21211 fails")
                .containsEntry(RecipientStatus.SENDING, 2L).containsEntry(RecipientStatus.FAILED, 1L);

        sms.down = false;
        clock.advance(Duration.ofSeconds(30));
        job.runOnce();
        leases.runOnce();
        assertThat(sms.delivered).as("not before the lease runs out").isEmpty();

        clock.advance(Duration.ofMinutes(2));
        leases.runOnce();
        job.runOnce();
        assertThat(sms.delivered).containsExactlyInAnyOrder("+8613600000011", "+8613600000012");
        assertThat(store.counts(r.campaignId())).containsEntry(RecipientStatus.DELIVERED, 2L)
                .containsEntry(RecipientStatus.FAILED, 1L).doesNotContainKey(RecipientStatus.SENDING);
    }

    @Test
    void pauseResumeAndCancel(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = numbered(store, "1380000", 30);
        Campaigns campaigns = new Campaigns(store, null, null, null, clock);
        SmsDoubles.RecordingSms sms = new SmsDoubles.RecordingSms(new Capacity(100, 10));
        CampaignSendJob job = sender(store, sms, new SmsRateShare(10, 1.0, clock), clock, 100);

        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runOnce()).isEqualTo(10);
        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.PAUSE).status()).isEqualTo(CampaignStatus.PAUSED);
        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.PAUSE).moved()).isFalse(); // already paused: 409
        clock.advance(Duration.ofSeconds(5));
        assertThat(job.runOnce()).isZero();
        CampaignProgress paused = campaigns.progress(r.campaignId()).orElseThrow();
        assertThat(paused.delivered()).isEqualTo(10);
        assertThat(paused.queued()).isEqualTo(20);
        assertThat(paused.ratePerSecond()).isEqualTo(10.0); // 10 in the one running second; the pause does not count
        assertThat(paused.eta()).isNull();

        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.RESUME).status()).isEqualTo(CampaignStatus.RUNNING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runOnce()).isEqualTo(10);
        assertThat(campaigns.progress(r.campaignId()).orElseThrow().eta()).isEqualTo(Duration.ofSeconds(1));

        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.CANCEL).status()).isEqualTo(CampaignStatus.CANCELLED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runOnce()).isZero();
        CampaignProgress cancelled = campaigns.progress(r.campaignId()).orElseThrow();
        assertThat(cancelled.delivered()).isEqualTo(20);
        assertThat(cancelled.cancelled()).isEqualTo(10);
        assertThat(cancelled.percent()).isEqualTo(100.0);
        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.RESUME).moved()).isFalse();
    }

    @Test
    void freedSlotsAreClaimedInBatchesAndALeaseThatRanOutFreesItsSlot(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = numbered(store, "1350000", 40);
        SmsDoubles.HeldSms sms = new SmsDoubles.HeldSms(new Capacity(10, 1000));
        CampaignSendJob job = sender(store, sms, new SmsRateShare(1000, 1.0, clock), clock, 100);

        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runOnce()).isEqualTo(10);
        sms.accept(4);
        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runOnce()).as("4 of 10 slots free: not worth a claim yet").isZero();
        assertThat(store.counts(r.campaignId())).containsEntry(RecipientStatus.PENDING, 30L)
                .containsEntry(RecipientStatus.SENDING, 6L).containsEntry(RecipientStatus.QUEUED, 4L);
        sms.accept(1);
        assertThat(job.runOnce()).as("half the slots free").isEqualTo(5);
        assertThat(job.inFlight()).isEqualTo(10);

        // Nothing ever comes back for these 10 (the provider hung): their slots free when their leases end.
        clock.advance(Duration.ofSeconds(118));
        assertThat(job.runOnce()).isZero();
        clock.advance(Duration.ofSeconds(3));
        assertThat(job.runOnce()).isEqualTo(10);
        assertThat(sms.sent).isEqualTo(25);
        assertThat(store.counts(r.campaignId())).containsEntry(RecipientStatus.PENDING, 15L)
                .containsEntry(RecipientStatus.SENDING, 20L).containsEntry(RecipientStatus.QUEUED, 5L);
    }

    @Test
    void startTimeAndQuietHoursHoldTheCampaign(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        new CampaignImport(store, 100, 10).run(campaign("09:00-12:00", T0.plusSeconds(3600)),
                RecipientRows.list(List.of("13800001111")), T0);
        SmsDoubles.RecordingSms sms = new SmsDoubles.RecordingSms(new Capacity(100, 10));
        CampaignSendJob job = sender(store, sms, new SmsRateShare(10, 1.0, clock), clock, 100);
        assertThat(job.runOnce()).isZero(); // before its start time
        clock.advance(Duration.ofHours(2)); // 12:00+08:00 is 04:00Z; T0 + 2 h = 12:00 local: quiet hours just ended
        clock.advance(Duration.ofMinutes(-1));
        assertThat(job.runOnce()).isZero(); // 11:59 local: inside the campaign's quiet hours
        clock.advance(Duration.ofMinutes(1));
        assertThat(job.runOnce()).isEqualTo(1);
    }

    /** The rate is measured over the time the campaign could send: a pause banks that, not the wait for its start. */
    @Test
    void aPauseBanksTheSendingTimeNotTheWaitForTheStart(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        CampaignImport.Result r = new CampaignImport(store, 100, 10).run(campaign(null, T0.plus(Duration.ofHours(1))),
                RecipientRows.list(java.util.stream.IntStream.range(0, 30).mapToObj(i -> String.format("1370000%04d", i))
                        .toList()), T0);
        Campaigns campaigns = new Campaigns(store, null, null, org.screening.outreach.domain.QuietHours.defaults(), clock);
        CampaignSendJob job = sender(store, new SmsDoubles.RecordingSms(new Capacity(100, 10)),
                new SmsRateShare(10, 1.0, clock), clock, 100);
        clock.advance(Duration.ofHours(1).plusSeconds(10));
        assertThat(job.runOnce()).isEqualTo(10); // 10 s after its start
        assertThat(campaigns.progress(r.campaignId()).orElseThrow().ratePerSecond()).isEqualTo(1.0);
        assertThat(campaigns.progress(r.campaignId()).orElseThrow().eta()).isEqualTo(Duration.ofSeconds(20));

        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.PAUSE).moved()).isTrue();
        clock.advance(Duration.ofHours(1));
        assertThat(store.find(r.campaignId()).orElseThrow().activeMillis()).isEqualTo(10_000);
        assertThat(campaigns.progress(r.campaignId()).orElseThrow().ratePerSecond()).isEqualTo(1.0);
        campaigns.move(r.campaignId(), Campaigns.Move.CANCEL);
    }

    /** Twilio's rate is SMS parts per second: a text of 3 parts takes 3 of the rate's tokens. */
    @Test
    void aTextOfSeveralPartsTakesATokenPerPart(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        String body = "【省疫情防控指挥部】" + "请今日完成核酸检测。".repeat(14); // 150 UCS-2 characters: 3 parts
        assertThat(org.screening.outreach.sms.Segments.count(body).segments()).isEqualTo(3);
        CampaignImport.Result r = new CampaignImport(store, 100, 10).run(new NewCampaign("long", "campaign.notice",
                "zh-CN", Map.of(), body, "51", "token:admin", T0, null), RecipientRows.list(java.util.stream.IntStream
                .range(0, 100).mapToObj(i -> String.format("1330000%04d", i)).toList()), T0);
        SmsDoubles.RecordingSms sms = new SmsDoubles.RecordingSms(new Capacity(1000, 30));
        CampaignSendJob job = sender(store, sms, new SmsRateShare(30, 1.0, clock), clock, 1000);
        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runOnce()).as("30 parts a second are 10 texts").isEqualTo(10);
        assertThat(job.runOnce()).isZero();
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofSeconds(1));
            job.runOnce();
        }
        assertThat(sms.sent).hasSize(100); // 10 s at 30 parts a second
        assertThat(store.counts(r.campaignId())).containsEntry(RecipientStatus.DELIVERED, 100L);
        store.move(r.campaignId(), CampaignStatus.RUNNING, CampaignStatus.COMPLETED, clock.instant());

        // A rate below the part count still sends, a text each time the bucket has paid for the last one.
        CampaignImport.Result slow = new CampaignImport(store, 100, 10).run(new NewCampaign("slow", "campaign.notice",
                "zh-CN", Map.of(), body, "51", "token:admin", clock.instant(), null), RecipientRows.list(List.of(
                "13300010001", "13300010002", "13300010003")), clock.instant());
        SmsDoubles.RecordingSms one = new SmsDoubles.RecordingSms(new Capacity(1000, 1));
        CampaignSendJob slowJob = sender(store, one, new SmsRateShare(1, 1.0, clock), clock, 1000);
        int sent = 0;
        for (int i = 0; i < 9; i++) {
            clock.advance(Duration.ofSeconds(1));
            sent += slowJob.runOnce();
        }
        assertThat(sent).as("one part a second: a 3-part text every 3 s").isEqualTo(3);
        assertThat(store.counts(slow.campaignId())).containsEntry(RecipientStatus.DELIVERED, 3L);
    }

    @Test
    void caseRemindersGoFirstAndCampaignsTakeOnlyWhatIsLeft(TestDb db) throws Exception {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        MutableClock clock = new MutableClock(T0);
        numbered(store, "1370000", 40);
        SmsDoubles.RecordingSms sms = new SmsDoubles.RecordingSms(new Capacity(100, 10));
        SmsRateShare rate = new SmsRateShare(10, 0.8, clock);
        SmsDoubles.DueReminders reminders = new SmsDoubles.DueReminders(25);
        Dispatcher cases = new Dispatcher(sms, rate.casesFirst(reminders), clock, "n1", Duration.ofMinutes(2), Runnable::run);
        CampaignSendJob campaignJob = new CampaignSendJob(store, sms, new CampaignBodies(), rate, cases::inFlight, clock,
                ZoneOffset.ofHours(8), Duration.ofMinutes(2), 100, Runnable::run);
        for (int tick = 0; tick < 60; tick++) {
            cases.dispatchDue();
            campaignJob.runOnce();
            if (tick == 20) reminders.due += 5; // new reminders arrive mid-campaign
            clock.advance(Duration.ofMillis(200));
        }
        List<String> order = sms.sent;
        int lastOfFirstReminders = order.indexOf("case:25");
        int firstCampaign = order.indexOf(order.stream().filter(s -> s.startsWith("campaign:")).findFirst().orElseThrow());
        assertThat(firstCampaign).isGreaterThan(lastOfFirstReminders);
        assertThat(order.stream().filter(s -> s.startsWith("case:"))).hasSize(30);
        // The late reminders went out in the round they arrived in (campaigns leave tokens for them).
        assertThat(reminders.due).isZero();
        // Together never faster than the provider's 10/s plus its one-second burst over the 12 s run.
        assertThat(order).hasSizeLessThanOrEqualTo(10 * 12 + 10);
    }
}
