package org.screening.outreach.channels.sms;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.channels.Capacity;
import org.screening.outreach.channels.OutboundAttempt;
import org.screening.outreach.channels.sms.twilio.TwilioSmsAdapter;
import org.screening.outreach.channels.sms.twilio.TwilioSmsSettings;
import org.screening.outreach.channels.twilio.RetryPolicy;
import org.screening.outreach.domain.AttemptOutcome;
import org.screening.outreach.domain.Category;
import org.screening.outreach.domain.ChannelKind;
import org.screening.outreach.store.JdbcOptOuts;
import org.screening.outreach.support.Await;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MutableClock;

/**
 * Twilio refuses a number whose owner sent STOP to one of the account's senders (21610). Our list learns it, so later
 * reminders skip the number as opted out and later campaigns leave it out; other refusals (21211, an invalid number)
 * teach it nothing. The real Twilio SDK against a WireMock "Twilio", the list in MariaDB.
 */
@Tag("db")
class UnsubscribedAtProviderTest {
    static final String SID = "AC0123456789abcdef0123456789abcdef";
    static final String PATH = "/2010-04-01/Accounts/" + SID + "/Messages.json";
    static final String STOPPED = "+8613800138001";
    static final String INVALID = "+8613800138002";

    @Test
    void aNumberTwilioRefusesAsUnsubscribedIsOnOurOptOutList() throws Exception {
        WireMockServer wm = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        wm.start();
        ExecutorService senders = Executors.newSingleThreadExecutor();
        try (MariaDbExtension.TestDb db = MariaDbExtension.freshSchema()) {
            wm.stubFor(post(urlPathEqualTo(PATH)).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                    .containing("13800138001")).willReturn(refusal(21610, "Attempt to send to unsubscribed recipient")));
            wm.stubFor(post(urlPathEqualTo(PATH)).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                    .containing("13800138002")).willReturn(refusal(21211, "Invalid 'To' Phone Number")));
            MutableClock clock = new MutableClock(Instant.parse("2022-04-01T00:00:00Z"));
            TwilioSmsAdapter twilio = new TwilioSmsAdapter(TwilioSmsSettings.of(SID, "tok3n5ecret9f8e7d6c5b4a39281706f",
                    "+15005550006", null, Duration.ofHours(1), URI.create(wm.baseUrl())), new Capacity(2, 2), a -> "请自报",
                    senders, clock, RetryPolicy.defaults(), (d, r) -> r.run(), (id, sid, status) -> { });
            JdbcOptOuts list = new JdbcOptOuts(db.database());
            UnsubscribedAtProvider sms = new UnsubscribedAtProvider(twilio, list, Runnable::run, clock);
            List<Map<String, Object>> failures = new CopyOnWriteArrayList<>();

            for (String phone : List.of(STOPPED, INVALID)) {
                sms.send(new OutboundAttempt(phone.equals(STOPPED) ? 1 : 2, "C" + phone, ChannelKind.SMS, 1, phone, "",
                        Category.RED, "510104001001", Instant.parse("2022-04-01T02:00:00Z")), (id, outcome, details) -> {
                            assertThat(outcome).isEqualTo(AttemptOutcome.FAILED);
                            failures.add(details);
                        });
            }
            Await.until("both refusals reported", Duration.ofSeconds(20), () -> failures.size() == 2);

            assertThat(failures).extracting(d -> d.get("errorCode")).containsExactlyInAnyOrder(21610, 21211);
            assertThat(list.isOptedOut(STOPPED)).as("refused as unsubscribed").isTrue();
            assertThat(list.isOptedOut(INVALID)).as("refused as invalid").isFalse();
        } finally {
            senders.shutdownNow();
            wm.stop();
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder refusal(int code, String message) {
        return aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                "{\"code\":%d,\"message\":\"%s\",\"more_info\":\"https://www.twilio.com/docs/errors/%d\",\"status\":400}"
                        .formatted(code, message, code));
    }
}
