package org.screening.outreach.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignProgressTest {
    private static final Instant START = Instant.parse("2026-12-07T02:00:00Z");
    private static final Instant FINISHED = START.plus(Duration.ofHours(1));
    private static final Map<RecipientStatus, Long> COUNTS = Map.of(RecipientStatus.DELIVERED, 7L,
            RecipientStatus.FAILED, 1L, RecipientStatus.SENT, 1L, RecipientStatus.QUEUED, 1L);

    @Test
    void textsWithoutReceiptStayWithTheProviderUntilADayAfterTheCampaignFinished() {
        CampaignProgress p = CampaignProgress.of(campaign(CampaignStatus.COMPLETED, FINISHED), COUNTS,
                FINISHED.plus(Duration.ofHours(23)));

        assertThat(p.sent()).isEqualTo(2);
        assertThat(p.noReceipt()).isZero();
        assertThat(p.percent()).isEqualTo(80.0);
    }

    @Test
    void aDayAfterTheCampaignFinishedTextsThatNeverGotAReceiptCountAsSettled() {
        CampaignProgress p = CampaignProgress.of(campaign(CampaignStatus.COMPLETED, FINISHED), COUNTS,
                FINISHED.plus(CampaignProgress.RECEIPT_WAIT));

        assertThat(p.sent()).isZero();
        assertThat(p.noReceipt()).isEqualTo(2);
        assertThat(p.delivered()).isEqualTo(7);
        assertThat(p.percent()).isEqualTo(100.0);
        assertThat(p.ratePerSecond()).as("all ten were handed to the provider in 10 s").isEqualTo(1.0);
    }

    @Test
    void aRunningCampaignNeverGivesUpOnReceipts() {
        CampaignProgress p = CampaignProgress.of(campaign(CampaignStatus.RUNNING, null), COUNTS,
                START.plus(Duration.ofDays(3)));

        assertThat(p.noReceipt()).isZero();
        assertThat(p.sent()).isEqualTo(2);
        assertThat(p.percent()).isEqualTo(80.0);
    }

    private static Campaign campaign(CampaignStatus status, Instant finishedAt) {
        return new Campaign(1, "核酸提醒", "campaign.notice", "zh-CN", Map.of(), "请今日完成核酸检测", "51", "admin",
                START, START, null, status, 10, 0, 0, 10_000, null, finishedAt);
    }

    private static final java.time.ZoneId SHANGHAI = java.time.ZoneId.of("Asia/Shanghai");

    /** CampaignProgress.of without a zone reads quiet hours in Asia/Shanghai, the default. */
    private static Instant shanghai(String localDateTime) {
        return java.time.LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant();
    }

    private static Campaign running(Instant createdAt, Instant startAt, String quietHours) {
        return new Campaign(2, "核酸提醒", "campaign.notice", "zh-CN", Map.of(), "请今日完成核酸检测", "51", "admin",
                createdAt, startAt, quietHours, CampaignStatus.RUNNING, 0, 0, 0, 0, createdAt, null);
    }

    @Test
    void theRateLeavesOutTheWaitForTheStartTime() {
        // Created at 08:00 to start at 09:00; at 09:10 it has handed 600 texts to the provider: 1 a second.
        Campaign c = running(shanghai("2022-04-01T08:00:00"), shanghai("2022-04-01T09:00:00"), null);
        CampaignProgress p = CampaignProgress.of(c, Map.of(RecipientStatus.DELIVERED, 600L, RecipientStatus.PENDING, 600L),
                shanghai("2022-04-01T09:10:00"));
        assertThat(p.ratePerSecond()).isEqualTo(1.0);
        assertThat(p.eta()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theRateLeavesOutTheQuietHoursAndTheEtaWaitsOutTheNightsAhead() {
        // Running from 21:00 with quiet hours 22:00-07:00: by 08:00 next day it sent for two hours, 1 a second.
        Campaign c = running(shanghai("2022-04-01T21:00:00"), shanghai("2022-04-01T21:00:00"), "22:00-07:00");
        CampaignProgress morning = CampaignProgress.of(c, Map.of(RecipientStatus.DELIVERED, 7200L,
                RecipientStatus.PENDING, 3600L), shanghai("2022-04-02T08:00:00"));
        assertThat(morning.ratePerSecond()).isEqualTo(1.0);
        assertThat(morning.eta()).isEqualTo(Duration.ofHours(1));

        // At 21:30 with an hour of texts left at that rate: half an hour tonight, the other half from 07:00.
        CampaignProgress evening = CampaignProgress.of(c, Map.of(RecipientStatus.DELIVERED, 1800L,
                RecipientStatus.PENDING, 3600L), shanghai("2022-04-01T21:30:00"));
        assertThat(evening.ratePerSecond()).isEqualTo(1.0);
        assertThat(evening.eta()).isEqualTo(Duration.ofHours(10));

        // Asked during the night: nothing more was sent, the rate stands, and the rest goes from 07:00.
        CampaignProgress night = CampaignProgress.of(c, Map.of(RecipientStatus.DELIVERED, 3600L,
                RecipientStatus.PENDING, 3600L), shanghai("2022-04-02T03:00:00"));
        assertThat(night.ratePerSecond()).isEqualTo(1.0);
        assertThat(night.eta()).isEqualTo(Duration.ofHours(5));
    }

    @Test
    void aCampaignWaitingForItsStartHasNoRateYet() {
        Campaign c = running(shanghai("2022-04-01T08:00:00"), shanghai("2022-04-02T09:00:00"), "22:00-07:00");
        CampaignProgress p = CampaignProgress.of(c, Map.of(RecipientStatus.PENDING, 10L), shanghai("2022-04-01T12:00:00"));
        assertThat(p.ratePerSecond()).isZero();
        assertThat(p.eta()).isNull();
    }

    /**
     * Twilio down for a while: the sender keeps claiming at its rate and every text waits out its lease as SENDING
     * (retries spent, nothing sent). Those are not sent, and the rate is what Twilio took.
     */
    @Test
    void textsClaimedButNotTakenByTheProviderAreNotSent() {
        Campaign c = running(shanghai("2022-04-01T10:00:00"), shanghai("2022-04-01T10:00:00"), null);
        CampaignProgress p = CampaignProgress.of(c, Map.of(RecipientStatus.DELIVERED, 100L, RecipientStatus.SENDING,
                1000L, RecipientStatus.PENDING, 900L), shanghai("2022-04-01T10:01:40"));
        assertThat(p.sent()).isZero();
        assertThat(p.queued()).isEqualTo(900);
        assertThat(p.ratePerSecond()).isEqualTo(1.0);
        assertThat(p.eta()).as("1,900 left at 1 a second").isEqualTo(Duration.ofSeconds(1900));
    }
}
