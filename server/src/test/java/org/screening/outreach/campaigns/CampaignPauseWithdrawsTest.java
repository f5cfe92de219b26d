package org.screening.outreach.campaigns;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.sms.twilio.TwilioSmsAdapter;
import org.screening.outreach.channels.sms.twilio.TwilioSmsSettings;
import org.screening.outreach.channels.twilio.RetryPolicy;
import org.screening.outreach.channels.twilio.TwilioClients;
import org.screening.outreach.dispatch.SmsRateShare;
import org.screening.outreach.store.JdbcCampaigns;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * A pause or cancel lands while the campaign's texts wait for a sender thread of the Twilio adapter (Twilio slowed
 * down, the sender pool queues): those whose requests have not gone out are not sent, and go back to the queue.
 */
@Tag("db")
@ExtendWith(MariaDbExtension.class)
class CampaignPauseWithdrawsTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String PATH = "/2010-04-01/Accounts/" + SID + "/Messages.json";
    WireMockServer twilio;

    /** The sender pool's queue, run by hand: a request goes out only when the test says so. */
    static final class HeldThreads implements Executor {
        final Deque<Runnable> waiting = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable r) {
            waiting.add(r);
        }

        void runAll() {
            Runnable r;
            while ((r = poll()) != null) r.run();
        }

        private synchronized Runnable poll() {
            return waiting.poll();
        }
    }

    @BeforeEach
    void start(TestDb db) {
        JdbcCampaigns store = new JdbcCampaigns(db.database());
        for (Campaign c : store.running()) store.move(c.id(), CampaignStatus.RUNNING, CampaignStatus.CANCELLED, CampaignSendingTest.T0);
        twilio = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        twilio.start();
        twilio.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"account_sid":"%s","sid":"SM00000000000000000000000000000001","status":"queued",
                         "to":"+8613800000000","from":"+15005550006","body":"x","num_segments":"1",
                         "date_created":"Fri, 01 Apr 2022 00:00:00 +0000","direction":"outbound-api"}""".formatted(SID))));
    }

    @AfterEach
    void stop() {
        twilio.stop();
    }

    @Test
    void textsStillWaitingForASenderWhenTheCampaignIsPausedAreNotSentAndGoBackToTheQueue(TestDb db) throws Exception {
        Rig rig = new Rig(db, "1310000");
        JdbcCampaigns store = rig.store;
        MutableClock clock = rig.clock;
        CampaignImport.Result r = rig.imported;
        Campaigns campaigns = rig.campaigns;
        HeldThreads threads = rig.threads;
        CampaignSendJob job = rig.job;

        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runOnce()).isEqualTo(10); // handed to the adapter; all 10 wait for a sender thread
        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.PAUSE).moved()).isTrue();
        job.runOnce(); // the next run of the sender sees the pause
        threads.runAll();
        assertThat(twilio.findAll(postRequestedFor(urlPathEqualTo(PATH)))).as("sent after the pause").isEmpty();
        assertThat(store.counts(r.campaignId())).containsEntry(RecipientStatus.PENDING, 20L);
        assertThat(job.inFlight()).isZero();

        // Resumed, they go, each once.
        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.RESUME).moved()).isTrue();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            job.runOnce();
            threads.runAll();
        }
        List<String> to = twilio.findAll(postRequestedFor(urlPathEqualTo(PATH))).stream()
                .map(q -> q.getBodyAsString().replaceAll(".*To=%2B(\\d+).*", "$1")).toList();
        assertThat(to).hasSize(20).doesNotHaveDuplicates();
        assertThat(store.counts(r.campaignId())).containsEntry(RecipientStatus.QUEUED, 20L);
    }

    @Test
    void textsStillWaitingWhenTheCampaignIsCancelledAreCancelled(TestDb db) throws Exception {
        Rig rig = new Rig(db, "1320000");
        MutableClock clock = rig.clock;
        CampaignImport.Result r = rig.imported;
        Campaigns campaigns = rig.campaigns;
        HeldThreads threads = rig.threads;
        CampaignSendJob job = rig.job;

        clock.advance(Duration.ofSeconds(1));
        assertThat(job.runOnce()).isEqualTo(10);
        assertThat(campaigns.move(r.campaignId(), Campaigns.Move.CANCEL).moved()).isTrue();
        job.runOnce();
        threads.runAll();
        assertThat(twilio.findAll(postRequestedFor(urlPathEqualTo(PATH)))).isEmpty();
        CampaignProgress p = campaigns.progress(r.campaignId()).orElseThrow();
        assertThat(p.cancelled()).isEqualTo(20);
        assertThat(p.percent()).isEqualTo(100.0);
    }

    /** 20 recipients numbered from {@code prefix}, a Twilio adapter whose sender threads the test releases, the job. */
    private final class Rig {
        final JdbcCampaigns store;
        final MutableClock clock = new MutableClock(CampaignSendingTest.T0);
        final CampaignImport.Result imported;
        final Campaigns campaigns;
        final HeldThreads threads = new HeldThreads();
        final CampaignSendJob job;

        Rig(TestDb db, String prefix) throws Exception {
            store = new JdbcCampaigns(db.database());
            imported = new CampaignImport(store, 100, 10).run(CampaignSendingTest.campaign(null, CampaignSendingTest.T0),
                    RecipientRows.list(IntStream.range(0, 20).mapToObj(i -> String.format(prefix + "%04d", i)).toList()),
                    CampaignSendingTest.T0);
            campaigns = new Campaigns(store, null, null, null, clock);
            CampaignBodies bodies = new CampaignBodies();
            TwilioSmsSettings settings = TwilioSmsSettings.of(SID, "tok3n", "+15005550006",
                    "https://outreach.example.cn/webhooks/twilio/sms/status", Duration.ofHours(4), URI.create(twilio.baseUrl()));
            TwilioSmsAdapter adapter = new TwilioSmsAdapter(TwilioClients.create(SID, "tok3n", settings.apiBase(),
                    Duration.ofSeconds(2), Duration.ofSeconds(5), 4), settings, new Capacity(100, 10), bodies, threads, clock,
                    RetryPolicy.defaults(), (d, task) -> task.run(), (id, sid, status) -> { }, () -> 0.5, "campaignRecipient");
            job = new CampaignSendJob(store, adapter, bodies, new SmsRateShare(10, 1.0, clock), () -> 0, clock,
                    ZoneOffset.ofHours(8), Duration.ofMinutes(2), 100, Runnable::run);
        }
    }
}
