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
}
