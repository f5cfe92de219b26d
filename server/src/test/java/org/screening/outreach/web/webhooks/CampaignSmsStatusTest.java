package org.screening.outreach.web.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.screening.outreach.campaigns.CampaignStore;
import org.screening.outreach.campaigns.RecipientStatus;
import org.screening.outreach.web.webhooks.spool.WebhookCallback;

/** Campaign status callbacks as the store gets them, without a database. */
class CampaignSmsStatusTest {
    final List<List<Object>> advances = new ArrayList<>();
    final CampaignStore store = (CampaignStore) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {CampaignStore.class}, (proxy, method, args) -> {
                if (!method.getName().equals("advance")) throw new UnsupportedOperationException(method.getName());
                advances.add(List.of(args[0], args[1], String.valueOf(args[2]), String.valueOf(args[3])));
                return true;
            });

    static WebhookCallback callback(String recipient, Map<String, String> form) {
        return new WebhookCallback("/webhooks/twilio/sms/status", Map.of(CampaignSmsStatus.PARAMETER, recipient), form,
                Instant.parse("2022-04-01T01:00:00Z"));
    }

    @Test
    void statusesMapToRecipientStatusesWithTwiliosWords() {
        CampaignSmsStatus s = new CampaignSmsStatus(store);
        s.applying(callback("7", Map.of("MessageStatus", "undelivered", "MessageSid", "SM1", "ErrorCode", "30003")))
                .orElseThrow().run();
        s.applying(callback("8", Map.of("MessageStatus", "sending"))).orElseThrow().run();
        assertThat(advances).containsExactly(List.of(7L, RecipientStatus.FAILED, "SM1", "30003"),
                List.of(8L, RecipientStatus.QUEUED, "null", "null"));
        assertThat(s.applying(callback("x", Map.of("MessageStatus", "delivered")))).isEmpty();
        assertThat(s.applying(callback("9", Map.of("MessageStatus", "receiving")))).isEmpty();
    }

    /** Longer than the recipient row keeps would fail the write, and a callback that cannot be written is spooled. */
    @Test
    void overlongSidAndErrorCodeAreCutToWhatTheRowKeeps() {
        new CampaignSmsStatus(store).applying(callback("7", Map.of("MessageStatus", "failed",
                "MessageSid", "SM" + "f".repeat(100), "ErrorCode", "3".repeat(100)))).orElseThrow().run();
        assertThat(advances).containsExactly(List.of(7L, RecipientStatus.FAILED, "SM" + "f".repeat(62), "3".repeat(16)));
    }
}
