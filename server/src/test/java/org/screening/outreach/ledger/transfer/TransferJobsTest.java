package org.screening.outreach.ledger.transfer;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.CaseStatus;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.domain.Transfer;
import org.screening.outreach.ledger.feed.Backoff;
import org.screening.outreach.ledger.feed.FeedSignature;
import org.screening.outreach.ledger.feed.HttpLedgerSender;
import org.screening.outreach.ledger.feed.SendResult;
import org.screening.outreach.domain.DailyReport;
import org.screening.outreach.store.JdbcDailyReports;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.store.JdbcTransfers;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/**
 * The sending side against a stub peer, with the clock moved by hand: delivery signed and retried, refusal and
 * silence escalated before the hour is up, each once.
 */
@Tag("db")
class TransferJobsTest {
    static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    final MutableClock clock = new MutableClock(Instant.parse("2022-04-01T02:00:00Z"));
    WireMockServer peer;
    JdbcTransfers store;
    JdbcCaseLedger ledger;
    Transfers transfers;
    TransferRoutes routes;
    DeliverTransfersJob deliver;
    EscalateTransfersJob escalate;
    final AtomicInteger escalations = new AtomicInteger();
    Cases cases;

    TestDb db;

    @BeforeEach
    void setUp() {
        db = MariaDbExtension.freshSchema(); // each test counts its own escalations

        peer = new WireMockServer(options().dynamicPort());
        peer.start();
        store = new JdbcTransfers(db.database(), "5101");
        ledger = new JdbcCaseLedger(db.database());
        routes = new TransferRoutes("5101", List.of(
                new TransferRoutes.Peer("5001", "http://127.0.0.1:" + peer.port(), KEY)));
        transfers = new Transfers(store, routes, Duration.ofMinutes(45), clock, escalations::incrementAndGet);
        deliver = new DeliverTransfersJob(store, ledger, routes, p -> new HttpLedgerSender(new FeedSignature(p.key()),
                Duration.ofSeconds(5), Map.of("X-Outreach-Jurisdiction", "5101")), new Backoff(() -> 0.5), clock,
                Duration.ofSeconds(5), escalations::incrementAndGet);
        escalate = new EscalateTransfersJob(store, clock, escalations::incrementAndGet);
        cases = new Cases(db.database(), clock);
    }

    @AfterEach
    void tearDown() {
        peer.stop();
        db.close();
    }

    @Test
    void aDeliveredTransferNeverAcknowledgedIsEscalatedOnceBeforeTheHourIsUp() {
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(201)));
        String caseId = cases.pushAs("test", "X1", "13900001111", "RED", "510104001001");
        Transfer t = transfers.handOver(caseId, "500101", "lives in Chongqing", "staff:王").orElseThrow();
        assertThat(t.status()).isEqualTo(Transfer.Status.SENDING);
        assertThat(t.toJurisdiction()).isEqualTo("500101000000");
        assertThat(t.ackBy()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(ledger.find(caseId).orElseThrow().status()).isEqualTo(CaseStatus.TRANSFERRED);

        assertThat(deliver.runOnce()).isEqualTo(1);
        LoggedRequest sent = peer.findAll(postRequestedFor(urlPathEqualTo("/api/v1/transfers"))).get(0);
        assertThat(sent.getHeader("X-Outreach-Signature")).isEqualTo(new FeedSignature(KEY).sign(sent.getBody()));
        assertThat(sent.getHeader("X-Outreach-Jurisdiction")).isEqualTo("5101");
        assertThat(sent.getHeader("Idempotency-Key")).isEqualTo(t.id());
        JsonObject body = new JsonObject(sent.getBodyAsString());
        assertThat(body.getString("schema")).isEqualTo("outreach.transfer/1");
        assertThat(body.getJsonObject("person").getString("phone")).isEqualTo("+8613900001111");
        assertThat(body.getJsonObject("to").getString("jurisdiction")).isEqualTo("500101000000");
        assertThat(body.getJsonArray("history").size()).isGreaterThanOrEqualTo(2);
        assertThat(store.find(Transfer.Direction.OUT, t.id()).orElseThrow().status()).isEqualTo(Transfer.Status.DELIVERED);

        clock.advance(Duration.ofMinutes(44).plusSeconds(59));
        assertThat(escalate.runOnce()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(escalate.runOnce()).isEqualTo(1);
        assertThat(escalate.runOnce()).isZero();
        assertThat(escalations.get()).isEqualTo(1);
        Transfer escalated = store.find(Transfer.Direction.OUT, t.id()).orElseThrow();
        assertThat(escalated.escalatedAt()).isBefore(escalated.ackBy());
        LedgerEvent event = last(caseId, Transfers.ESCALATED);
        assertThat(event.data()).containsEntry("transfer", t.id()).containsEntry("reason",
                "not acknowledged 45 min into its hour");
        assertThat(store.list(new TransferStore.Filter(Transfer.Direction.OUT, true, "510104", 10)))
                .extracting(Transfer::id).containsExactly(t.id());
        assertThat(store.list(new TransferStore.Filter(Transfer.Direction.OUT, true, "510105", 10))).isEmpty();

        clock.advance(Duration.ofMinutes(30)); // a late acknowledgement still counts, marked late
        transfers.acknowledge(t.id(), "PEERCASE1");
        transfers.acknowledge(t.id(), "PEERCASE1");
        assertThat(ledger.events(caseId).stream().filter(e -> e.type().equals(Transfers.ACKNOWLEDGED))).hasSize(1);
        assertThat(last(caseId, Transfers.ACKNOWLEDGED).data()).containsEntry("withinHour", false)
                .containsEntry("peerCase", "PEERCASE1");
        assertThat(store.list(new TransferStore.Filter(Transfer.Direction.OUT, true, "", 10))).isEmpty();
    }

    @Test
    void aPeerThatIsDownIsTriedAgainLaterWithTheSameTransferId() {
        // The peer asks for 20 minutes: longer than any backoff, so the wait is the peer's.
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(503)
                .withHeader("Retry-After", "1200")));
        String caseId = cases.pushAs("test", "X2", "13900002222", "YELLOW", "510104001001");
        Transfer t = transfers.handOver(caseId, "500101001001", "moved", "staff:王").orElseThrow();

        assertThat(deliver.runOnce()).isZero();
        Transfer waiting = store.find(Transfer.Direction.OUT, t.id()).orElseThrow();
        assertThat(waiting.status()).isEqualTo(Transfer.Status.SENDING);
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.lastError()).startsWith("HTTP 503");
        assertThat(deliver.runOnce()).as("not due again before its backoff").isZero();
        assertThat(peer.findAll(postRequestedFor(urlPathEqualTo("/api/v1/transfers")))).hasSize(1);

        peer.resetMappings();
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(200)));
        clock.advance(Backoff.longest());
        assertThat(deliver.runOnce()).as("the peer's Retry-After has not passed").isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(deliver.runOnce()).isEqualTo(1);
        peer.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/transfers")).withHeader("Idempotency-Key", equalTo(t.id())));
        assertThat(store.find(Transfer.Direction.OUT, t.id()).orElseThrow().status()).isEqualTo(Transfer.Status.DELIVERED);
        assertThat(ledger.events(caseId).stream().filter(e -> e.type().equals(Transfers.DELIVERED))).hasSize(1);
    }

    @Test
    void aRefusedTransferIsEscalatedAtOnce() {
        Transfer t = handedOverAndRefused("X3", 422, "{\"error\":\"rejected\",\"field\":\"jurisdiction\"}");
        String caseId = t.caseId();
        Transfer refused = store.find(Transfer.Direction.OUT, t.id()).orElseThrow();
        assertThat(refused.status()).isEqualTo(Transfer.Status.REFUSED);
        assertThat(refused.escalatedAt()).isEqualTo(clock.instant());
        assertThat(last(caseId, Transfers.REFUSED).data().get("error").toString()).startsWith("HTTP 422");
        assertThat(last(caseId, Transfers.ESCALATED)).isNotNull();
        assertThat(escalations.get()).isEqualTo(1);
        clock.advance(Duration.ofHours(1));
        assertThat(deliver.runOnce()).isZero();
        assertThat(escalate.runOnce()).as("escalated once").isZero();
        assertThat(store.counts()).as("on the task force list, so in the gauge its alert reads")
                .isEqualTo(new TransferStore.Counts(0, 1));
    }

    @Test
    void withoutAPeerForTheJurisdictionTheTransferIsEscalatedWhenMade() {
        String caseId = cases.pushAs("test", "X4", "13900004444", "RED", "510104001001");
        Transfer t = transfers.handOver(caseId, "4401", "lives in Guangzhou", "staff:王").orElseThrow();
        assertThat(t.status()).isEqualTo(Transfer.Status.NO_PEER);
        assertThat(t.escalatedAt()).isEqualTo(t.createdAt());
        assertThat(last(caseId, Transfers.ESCALATED).data().get("reason").toString()).contains("440100000000");
        assertThat(deliver.runOnce()).isZero();
        assertThat(peer.getAllServeEvents()).isEmpty();
        assertThat(escalations.get()).as("transfers_escalated_total").isEqualTo(1);
        assertThat(store.counts()).as("transfers_awaiting_ack, transfers_escalated_unacknowledged")
                .isEqualTo(new TransferStore.Counts(0, 1));
    }

    @Test
    void aCaseThatIsClosedOrAlreadyTransferredCannotBeHandedOver() {
        String caseId = cases.pushAs("test", "X5", "13900005555", "RED", "510104001001");
        transfers.handOver(caseId, "500101", "moved", "staff:王").orElseThrow();
        assertThatThrownBy(() -> transfers.handOver(caseId, "500101", "again", "staff:王"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TRANSFERRED");
        assertThat(transfers.handOver("01ARZ3NDEKTSV4RRFFQ69G5FAV", "500101", "x", "staff:王")).isEmpty();
        assertThat(transfers.problem("510104", "x")).contains("within this deployment");
        assertThat(transfers.problem("5x", "x")).contains("digits");
        assertThat(transfers.problem("500101", " ")).contains("reason");
    }

    @Test
    void aRefusalSettledWhileTheEscalationJobEscalatesTheSameTransferWritesOneEscalation() {
        String caseId = cases.pushAs("test", "X6", "13900006666", "RED", "510104001001");
        Transfer t = transfers.handOver(caseId, "500101", "moved", "staff:王").orElseThrow();
        // The peer answers only after the escalation point; meanwhile the escalation job (another node) escalates.
        DeliverTransfersJob slowRefusal = new DeliverTransfersJob(store, ledger, routes, p -> (url, id, attempt, body) -> {
            clock.advance(Duration.ofMinutes(46));
            assertThat(escalate.runOnce()).isEqualTo(1);
            return CompletableFuture.completedFuture(SendResult.ofStatus(422, "{\"error\":\"rejected\"}"));
        }, new Backoff(() -> 0.5), clock, Duration.ofSeconds(5), escalations::incrementAndGet);

        slowRefusal.runOnce();
        assertThat(store.find(Transfer.Direction.OUT, t.id()).orElseThrow().status()).isEqualTo(Transfer.Status.REFUSED);
        assertThat(last(caseId, Transfers.REFUSED)).isNotNull();
        assertThat(ledger.events(caseId).stream().filter(e -> e.type().equals(Transfers.ESCALATED))).hasSize(1);
        assertThat(last(caseId, Transfers.ESCALATED).data().get("reason").toString()).startsWith("not acknowledged");
        assertThat(escalations.get()).as("transfers_escalated_total").isEqualTo(1);
        assertThat(escalate.runOnce()).isZero();
    }

    @Test
    void aRefusedTransferIsSentAgainOnRequestAndStaysOnTheTaskForceListUntilAcknowledged() {
        Transfer t = handedOverAndRefused("X8", 403, "{\"error\":\"forbidden\",\"message\":\"bad signature\"}");
        String caseId = t.caseId();
        TransferStore.Filter taskForce = new TransferStore.Filter(Transfer.Direction.OUT, true, "510104", 10);
        assertThat(store.list(taskForce)).extracting(Transfer::status).containsExactly(Transfer.Status.REFUSED);
        assertThat(Transfers.retryable(store.list(taskForce).get(0))).as("the list offers the retry").isTrue();
        assertThat(transfers.retry(t.id(), "510105", "token:成华区")).as("another county's").isEmpty();

        // The next day the peer's key is fixed; a first try meets a restart (503), which is not a day-old failure.
        peer.resetMappings();
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(503)));
        clock.advance(Duration.ofHours(30));
        Transfer again = transfers.retry(t.id(), "510104", "token:锦江区专班").orElseThrow();
        assertThat(again.status()).isEqualTo(Transfer.Status.SENDING);
        assertThat(Transfers.retryable(again)).isFalse();
        LedgerEvent retried = last(caseId, Transfers.RETRIED);
        assertThat(retried.actor()).isEqualTo("token:锦江区专班");
        assertThat(retried.data()).containsEntry("transfer", t.id()).containsEntry("after", "REFUSED");
        assertThatThrownBy(() -> transfers.retry(t.id(), "510104", "token:锦江区专班"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("SENDING");

        assertThat(deliver.runOnce()).isZero();
        assertThat(store.find(Transfer.Direction.OUT, t.id()).orElseThrow().status()).as("retried, not given up")
                .isEqualTo(Transfer.Status.SENDING);
        peer.resetMappings();
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(201)));
        clock.advance(Backoff.longest());
        assertThat(deliver.runOnce()).isEqualTo(1);
        peer.verify(3, postRequestedFor(urlPathEqualTo("/api/v1/transfers")).withHeader("Idempotency-Key", equalTo(t.id())));
        assertThat(store.list(taskForce)).as("still unconfirmed: the task force keeps chasing it")
                .extracting(Transfer::status).containsExactly(Transfer.Status.DELIVERED);
        assertThat(escalations.get()).as("escalated once").isEqualTo(1);

        transfers.acknowledge(t.id(), "PEERCASE8");
        assertThat(store.list(taskForce)).isEmpty();
        assertThat(last(caseId, Transfers.ACKNOWLEDGED).data()).containsEntry("withinHour", false);
    }

    @Test
    void aPeerlessTransferIsSentAgainOnlyOnceAPeerServesItsJurisdiction() {
        String caseId = cases.pushAs("test", "X9", "13900009999", "RED", "510104001001");
        Transfer t = transfers.handOver(caseId, "4401", "lives in Guangzhou", "staff:王").orElseThrow();
        assertThatThrownBy(() -> transfers.retry(t.id(), "", "token:admin")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no peer endpoint is configured for 440100000000");

        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(201)));
        TransferRoutes withGuangzhou = new TransferRoutes("5101", List.of(
                new TransferRoutes.Peer("44", "http://127.0.0.1:" + peer.port(), KEY)));
        Transfers configured = new Transfers(store, withGuangzhou, Duration.ofMinutes(45), clock);
        assertThat(configured.retry(t.id(), "", "token:admin").orElseThrow().peerPrefix()).isEqualTo("44");
        DeliverTransfersJob toGuangzhou = new DeliverTransfersJob(store, ledger, withGuangzhou,
                p -> new HttpLedgerSender(new FeedSignature(p.key()), Duration.ofSeconds(5), Map.of()),
                new Backoff(() -> 0.5), clock, Duration.ofSeconds(5), escalations::incrementAndGet);
        assertThat(toGuangzhou.runOnce()).isEqualTo(1);
        assertThat(store.find(Transfer.Direction.OUT, t.id()).orElseThrow().status()).isEqualTo(Transfer.Status.DELIVERED);
    }

    @Test
    void aForeignPushHandedOverIsOnTheTaskForceListAndDailyReportOfThisDeployment() {
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(422)));
        String caseId = cases.pushAs("province", "X10", "13900001010", "RED", "500104002003");
        assertThat(new HandOverForeignCasesJob(store, transfers).runOnce()).isEqualTo(1);
        deliver.runOnce();
        Transfer t = store.find(Transfer.Direction.OUT, transfers.list(new TransferStore.Filter(Transfer.Direction.OUT,
                true, "", 10)).get(0).id()).orElseThrow();
        assertThat(t.caseId()).isEqualTo(caseId);
        assertThat(t.escalated()).isTrue();

        for (String scope : List.of("5101", "51", "")) {
            assertThat(store.list(new TransferStore.Filter(Transfer.Direction.OUT, true, scope, 10)))
                    .as("the task force of " + scope).extracting(Transfer::id).containsExactly(t.id());
        }
        for (String scope : List.of("510104", "5001", "500104")) {
            assertThat(store.list(new TransferStore.Filter(Transfer.Direction.OUT, true, scope, 10)))
                    .as("not filed under " + scope).isEmpty();
        }
        assertThat(transfers.retry(t.id(), "510104", "token:锦江区")).isEmpty();

        DailyReport city = new JdbcDailyReports(db.database(), "5101").daily(LocalDate.of(2022, 4, 1), "5101",
                ZoneId.of("Asia/Shanghai"), clock.instant());
        assertThat(city.total().transfersSent()).isEqualTo(1);
        assertThat(city.total().transfersEscalated()).isEqualTo(1);
        assertThat(city.rows()).extracting(DailyReport.Row::jurisdiction).containsExactly("510100");
    }

    @Test
    void aForeignPushHandedOverLateKeepsTheHourThatBeganWhenItArrived() {
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(201)));
        Instant arrived = clock.instant();
        String caseId = cases.pushAs("province", "X11", "13900001212", "RED", "500104002003");
        clock.advance(Duration.ofMinutes(50)); // no dispatching node ran meanwhile
        assertThat(new HandOverForeignCasesJob(store, transfers).runOnce()).isEqualTo(1);
        Transfer t = store.list(new TransferStore.Filter(Transfer.Direction.OUT, false, "", 10)).get(0);
        assertThat(t.caseId()).isEqualTo(caseId);
        assertThat(t.ackBy()).isEqualTo(arrived.plus(Duration.ofHours(1)));
        assertThat(deliver.runOnce()).isEqualTo(1);
        assertThat(escalate.runOnce()).as("past its escalation point already: on the list at once").isEqualTo(1);
        assertThat(last(caseId, Transfers.ESCALATED).data()).containsEntry("reason", "not acknowledged 50 min into its hour");

        clock.advance(Duration.ofMinutes(15));
        transfers.acknowledge(t.id(), "PEERCASE11");
        assertThat(last(caseId, Transfers.ACKNOWLEDGED).data()).as("65 min after the push arrived")
                .containsEntry("withinHour", false);
    }

    @Test
    void aDeliveredTransferStillUnconfirmedAtItsEscalationPointCanBeSentAgain() {
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(201)));
        String caseId = cases.pushAs("test", "X12", "13900001313", "RED", "510104001001");
        Transfer t = transfers.handOver(caseId, "500101", "moved", "staff:王").orElseThrow();
        deliver.runOnce();
        assertThatThrownBy(() -> transfers.retry(t.id(), "510104", "token:锦江区专班"))
                .as("not before its escalation point").isInstanceOf(IllegalStateException.class).hasMessageContaining("DELIVERED");
        clock.advance(Duration.ofMinutes(45));
        escalate.runOnce();
        assertThat(transfers.retry(t.id(), "510104", "token:锦江区专班").orElseThrow().status())
                .isEqualTo(Transfer.Status.SENDING);
        assertThat(last(caseId, Transfers.RETRIED).data()).containsEntry("after", "DELIVERED");
        assertThat(deliver.runOnce()).isEqualTo(1);
        peer.verify(2, postRequestedFor(urlPathEqualTo("/api/v1/transfers")).withHeader("Idempotency-Key", equalTo(t.id())));
    }

    @Test
    void anAcknowledgementGivenUpIsSentAgainWhenTheSenderRepeatsTheTransfer() {
        String id = "01GZZZZZZZZZZZZZZZZZZZZZZA";
        String caseId = cases.pushAs("transfer:5001", id, "13900001414", "RED", "510104001001");
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers/" + id + "/ack")).willReturn(aResponse().withStatus(403)));
        LedgerEvent received = new LedgerEvent(caseId, Transfers.RECEIVED, clock.instant(), "transfer", Map.of("transfer", id));
        assertThat(store.receive(incoming(id, caseId), received)).isTrue();
        deliver.runOnce();
        assertThat(store.find(Transfer.Direction.IN, id).orElseThrow().status()).isEqualTo(Transfer.Status.ACK_FAILED);

        // Chongqing, still without a receipt, sends the same transfer again once its configuration is fixed.
        peer.resetMappings();
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers/" + id + "/ack")).willReturn(aResponse().withStatus(200)));
        clock.advance(Duration.ofHours(2));
        assertThat(store.receive(incoming(id, caseId), received)).as("a repeated delivery").isFalse();
        assertThat(deliver.runOnce()).isEqualTo(1);
        assertThat(store.find(Transfer.Direction.IN, id).orElseThrow().status()).isEqualTo(Transfer.Status.ACK_SENT);
        assertThat(ledger.events(caseId).stream().filter(e -> e.type().equals(Transfers.RECEIVED))).hasSize(1);
    }

    private Transfer incoming(String id, String caseId) {
        Instant now = clock.instant();
        return new Transfer(id, Transfer.Direction.IN, caseId, "5001", "510104001001", "moved back",
                Transfer.Status.ACK_PENDING, now, now.plus(Transfer.ACK_WITHIN), now, null, null, 0, null,
                "01GYYYYYYYYYYYYYYYYYYYYYYY");
    }

    /** A RED case of 510104001001 handed to Chongqing, whose server answers {@code status} with {@code body}. */
    private Transfer handedOverAndRefused(String externalId, int status, String body) {
        peer.stubFor(post(urlPathEqualTo("/api/v1/transfers")).willReturn(aResponse().withStatus(status).withBody(body)));
        String caseId = cases.pushAs("test", externalId, "1390000" + (1000 + status), "RED", "510104001001");
        Transfer t = transfers.handOver(caseId, "500101", "moved", "staff:王").orElseThrow();
        deliver.runOnce();
        return t;
    }

    private LedgerEvent last(String caseId, String type) {
        List<LedgerEvent> found = ledger.events(caseId).stream().filter(e -> e.type().equals(type)).toList();
        assertThat(found).as(type).isNotEmpty();
        return found.get(found.size() - 1);
    }
}
