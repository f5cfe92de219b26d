package org.screening.outreach.ledger.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Classification of receiver answers, backoff, the retry horizon and the payload's shape. */
class FeedRulesTest {
    static final Instant T0 = Instant.parse("2022-04-01T00:00:00Z");

    @Test
    void receiverStatusesAreClassified() {
        assertThat(SendResult.ofStatus(200, "").kind()).isEqualTo(SendResult.Kind.DELIVERED);
        assertThat(SendResult.ofStatus(204, "").kind()).isEqualTo(SendResult.Kind.DELIVERED);
        for (int s : new int[] {408, 429, 500, 502, 503, 504, 302}) {
            assertThat(SendResult.ofStatus(s, "x").kind()).as("HTTP %d", s).isEqualTo(SendResult.Kind.RETRY);
        }
        for (int s : new int[] {400, 401, 403, 404, 409, 413, 422}) {
            assertThat(SendResult.ofStatus(s, "x").kind()).as("HTTP %d", s).isEqualTo(SendResult.Kind.REFUSED);
        }
    }

    @Test
    void backoffDoublesWithJitterUpToItsCeiling() {
        Backoff low = new Backoff(() -> 0.0);
        Backoff high = new Backoff(() -> 0.999999);
        assertThat(low.after(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(high.after(1)).isBetween(Duration.ofMillis(9_990), Duration.ofSeconds(10));
        assertThat(low.after(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(low.after(50)).isEqualTo(Duration.ofMinutes(15).dividedBy(2));
        assertThat(high.after(50)).isLessThanOrEqualTo(Backoff.longest());
    }

    CursorClaim claim(int attempts, Instant firstFailedAt) {
        FeedEvent e1 = new FeedEvent(5, 0, "C1", "s", "x", "510104001001", "RECEIVED", T0, "a", Map.of());
        FeedEvent e2 = new FeedEvent(9, 5, "C1", "s", "x", "510104001001", "PLANNED", T0, "a", Map.of());
        return new CursorClaim(1, "tok", "http://l", "C1", 0, attempts, firstFailedAt, List.of(e1, e2));
    }

    @Test
    void retriesUntilTheHorizonThenParks() {
        DeliveryRules rules = new DeliveryRules(new Backoff(() -> 0.0), Duration.ofHours(24));
        Settlement first = rules.settle(claim(0, null), 0, SendResult.ofStatus(503, "down"), T0);
        assertThat(first.parked()).isFalse();
        assertThat(first.attempts()).isEqualTo(1);
        assertThat(first.firstFailedAt()).isEqualTo(T0);
        assertThat(first.nextAttemptAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(first.lastStatus()).isEqualTo(503);

        Instant later = T0.plus(Duration.ofHours(24));
        Settlement last = rules.settle(claim(40, T0), 0, SendResult.unreachable("Connection refused"), later);
        assertThat(last.parked()).isTrue();
        assertThat(last.lastError()).startsWith("gave up after 41 attempts over 24 h: Connection refused");
    }

    @Test
    void aReceiversRetryAfterIsWaitedForButNeverShortensTheBackoffNorExceedsAnHour() {
        DeliveryRules rules = new DeliveryRules(new Backoff(() -> 0.0), Duration.ofHours(24));
        assertThat(rules.settle(claim(0, null), 0, SendResult.ofStatus(429, "slow down", "120"), T0).nextAttemptAt())
                .isEqualTo(T0.plusSeconds(120));
        assertThat(rules.settle(claim(0, null), 0, SendResult.ofStatus(503, "down", "1"), T0).nextAttemptAt())
                .as("shorter than the backoff").isEqualTo(T0.plusSeconds(5));
        assertThat(rules.settle(claim(0, null), 0, SendResult.ofStatus(503, "down", "86400"), T0).nextAttemptAt())
                .isEqualTo(T0.plus(Duration.ofHours(1)));
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                T0.plusSeconds(600).atZone(java.time.ZoneOffset.UTC));
        assertThat(rules.settle(claim(0, null), 0, SendResult.ofStatus(503, "down", date), T0).nextAttemptAt())
                .isEqualTo(T0.plusSeconds(600));
        for (String junk : new String[] {"soon", "-5", "0", "Tue, 99 Foo 2022", ""}) {
            assertThat(rules.settle(claim(0, null), 0, SendResult.ofStatus(503, "down", junk), T0).nextAttemptAt())
                    .as(junk).isEqualTo(T0.plusSeconds(5));
        }
        assertThat(SendResult.ofStatus(400, "bad", "60").retryAfter()).as("a refusal is not retried").isNull();
    }

    @Test
    void aRefusalParksAtOnceAndProgressResetsTheHeadsRetryState() {
        DeliveryRules rules = new DeliveryRules(new Backoff(() -> 0.0), Duration.ofHours(24));
        Settlement refused = rules.settle(claim(3, T0), 1, SendResult.ofStatus(400, "bad"), T0.plusSeconds(60));
        assertThat(refused.parked()).isTrue();
        assertThat(refused.deliveredSeq()).isEqualTo(5);
        assertThat(refused.attempts()).isEqualTo(1); // the first event went; the refused one is a new head
        assertThat(refused.lastStatus()).isEqualTo(400);
        assertThat(refused.lastError()).isEqualTo("refused: HTTP 400: bad");

        Settlement done = rules.settle(claim(3, T0), 2, null, T0.plusSeconds(60));
        assertThat(done).isEqualTo(new Settlement(1, "tok", 9, 0, null, null, null, T0.plusSeconds(60), false));
    }

    @Test
    void thePayloadCarriesTheEventAndTheCaseIdentityAndMasksStrayNumbers() {
        FeedEvent e = new FeedEvent(42, 17, "01M84GSPZMCWDZCHMS8DY5DHAP", "chengdu-cdc", "A1", "510104001001",
                "STATUS_CHANGED", Instant.parse("2022-04-01T00:30:00Z"), "dispatcher",
                Map.of("from", "NEW", "to", "CONTACTING", "phone", "+8613800138000", "idNumber", "510104199001011234"));
        JsonObject body = new JsonObject(new String(new FeedPayload(ZoneId.of("Asia/Shanghai")).encode(e),
                StandardCharsets.UTF_8));
        assertThat(body.getString("schema")).isEqualTo("outreach.ledger-event/1");
        assertThat(body.getString("eventId")).isEqualTo("01M84GSPZMCWDZCHMS8DY5DHAP-42");
        assertThat(body.getLong("sequence")).isEqualTo(42);
        assertThat(body.getLong("previousSequence")).isEqualTo(17);
        assertThat(body.getString("at")).isEqualTo("2022-04-01T08:30:00+08:00");
        assertThat(body.getJsonObject("case")).isEqualTo(new JsonObject().put("id", "01M84GSPZMCWDZCHMS8DY5DHAP")
                .put("source", "chengdu-cdc").put("externalId", "A1").put("jurisdiction", "510104001001"));
        JsonObject data = body.getJsonObject("data");
        assertThat(data.getString("from")).isEqualTo("NEW");
        assertThat(data.getString("to")).isEqualTo("CONTACTING");
        assertThat(data.getString("phone")).isEqualTo("138****8000");
        assertThat(data.getString("idNumber")).isEqualTo("510104********1234");

        JsonObject first = new JsonObject(new String(new FeedPayload(ZoneId.of("UTC")).encode(
                new FeedEvent(3, 0, "C", "s", "x", "j", "RECEIVED", T0, "a", Map.of())), StandardCharsets.UTF_8));
        assertThat(first.containsKey("previousSequence")).isTrue();
        assertThat(first.getValue("previousSequence")).isNull();
    }

    @Test
    void aTransferFromAStreetLevelDeploymentNamesItsSenderUnmasked() {
        // OUTREACH_JURISDICTION may be up to 12 digits: a street's server names itself 510104001 in "from".
        FeedEvent e = new FeedEvent(5, 4, "01M84GSPZMCWDZCHMS8DY5DHAP", "transfer:510104001", "01M84GSPZMCWDZCHMS8DY5DHAQ",
                "500101001001", "TRANSFER_RECEIVED", T0, "transfer", Map.of("from", "510104001",
                "fromCase", "01M84GSPZMCWDZCHMS8DY5DHAR"));
        JsonObject data = new JsonObject(new String(new FeedPayload(ZoneId.of("UTC")).encode(e), StandardCharsets.UTF_8))
                .getJsonObject("data");
        assertThat(data.getString("from")).isEqualTo("510104001");
        FeedEvent stray = new FeedEvent(6, 5, "C", "s", "x", "j", "X", T0, "a", Map.of("from", "13800138000",
                "to", "+8613800138000"));
        JsonObject masked = new JsonObject(new String(new FeedPayload(ZoneId.of("UTC")).encode(stray),
                StandardCharsets.UTF_8)).getJsonObject("data");
        assertThat(masked.getString("from")).isEqualTo("138****8000");
        assertThat(masked.getString("to")).isEqualTo("138****8000");
    }

    @Test
    void theSignatureIsHmacSha256OfTheBodyInHex() throws Exception {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) key[i] = (byte) i;
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
        String expected = "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body));
        FeedSignature sig = new FeedSignature(key);
        assertThat(sig.sign(body)).isEqualTo(expected);
        assertThat(sig.verify(body, expected)).isTrue();
        assertThat(sig.verify("{\"a\":2}".getBytes(StandardCharsets.UTF_8), expected)).isFalse();
        assertThat(sig.toString()).doesNotContain("0102");
    }

    /** A peer whose HMAC library prints upper-case hex (.NET's Convert.ToHexString, say) signs the same bytes. */
    @Test
    void anUpperCaseHexSignatureOfTheSameBytesIsAccepted() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) key[i] = (byte) i;
        FeedSignature sig = new FeedSignature(key);
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String hex = sig.sign(body).substring("sha256=".length());
        assertThat(sig.verify(body, "sha256=" + hex.toUpperCase(java.util.Locale.ROOT))).isTrue();
        assertThat(sig.verify("{\"a\":2}".getBytes(StandardCharsets.UTF_8), "sha256=" + hex.toUpperCase(java.util.Locale.ROOT)))
                .isFalse();
    }
}
