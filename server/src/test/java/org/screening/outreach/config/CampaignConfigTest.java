package org.screening.outreach.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** OUTREACH_CAMPAIGN_SMS_PERCENT: the share of the SMS rate campaigns may take. */
class CampaignConfigTest {
    @Test
    void campaignsTake80PercentOfTheSmsRateUnlessConfigured() {
        assertThat(ConfigLoader.fromMap(Map.of()).campaigns().smsShare()).isEqualTo(0.8);
        assertThat(ConfigLoader.fromMap(Map.of("OUTREACH_CAMPAIGN_SMS_PERCENT", "50")).campaigns().smsShare()).isEqualTo(0.5);
        assertThatThrownBy(() -> ConfigLoader.fromMap(Map.of("OUTREACH_CAMPAIGN_SMS_PERCENT", "0")))
                .hasMessageContaining("OUTREACH_CAMPAIGN_SMS_PERCENT");
    }
}
