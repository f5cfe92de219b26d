package org.screening.outreach.ledger.feed;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.vertx.core.json.JsonObject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.screening.outreach.domain.LedgerEvent;
import org.screening.outreach.store.JdbcCaseLedger;
import org.screening.outreach.store.JdbcLedgerFeed;
import org.screening.outreach.support.Cases;
import org.screening.outreach.support.MariaDbExtension;
import org.screening.outreach.support.MariaDbExtension.TestDb;
import org.screening.outreach.support.MutableClock;

/** The feed against a WireMock ledger receiver, jobs run by hand under a settable clock. */
@Tag("db")
class LedgerFeedDeliveryTest {
    static final byte[] KEY = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    final MutableClock clock = new MutableClock(Instant.parse("2022-04-01T01:00:00Z"));
    final AtomicInteger delivered = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    final AtomicInteger parked = new AtomicInteger();
    WireMockServer receiver;
    /** A schema of its own per test: a new destination reads the ledger from its beginning. */
    TestDb db;

    @BeforeEach
    void start() {
        receiver = new WireMockServer(options().dynamicPort());
        receiver.start();
        db = MariaDbExtension.freshSchema();
    }

    @AfterEach
    void stop() {
        receiver.stop();
        db.close();
    }

    record Feed(JdbcLedgerFeed store, ScanLedgerJob scan, DeliverLedgerEventsJob deliver, String dest) {
        void run() {
            scan.runOnce();
            deliver.runOnce();
        }
    }

    Feed feed(TestDb db, String path, Duration horizon) {
        return feedTo(db, "http://127.0.0.1:" + receiver.port() + path, horizon);
    }

    Feed feedTo(TestDb db, String dest, Duration horizon) {
        JdbcLedgerFeed store = new JdbcLedgerFeed(db.database(), List.of(dest));
        // Earlier tests' events go to their own destinations; a new destination starts at the ledger's beginning.
        ScanLedgerJob scan = new ScanLedgerJob(store, List.of(dest), clock);
        DeliverLedgerEventsJob deliver = new DeliverLedgerEventsJob(store,
                new HttpLedgerSender(new FeedSignature(KEY), Duration.ofSeconds(5)), new FeedPayload(ZoneId.of("Asia/Shanghai")),
                new DeliveryRules(new Backoff(() -> 0.5), horizon),
                new FeedCounters(delivered::incrementAndGet, retried::incrementAndGet, parked::incrementAndGet),
                clock, Duration.ofSeconds(5));
        return new Feed(store, scan, deliver, dest);
    }

    void answer(String path, int status) {
        receiver.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)));
    }

    /** The ledger as stored: seqs of each case, in order. */
    static Map<String, List<Long>> ledger(TestDb db, List<String> caseIds) throws Exception {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        try (Connection c = db.database().connection();
             PreparedStatement ps = c.prepareStatement("SELECT seq FROM ledger_events WHERE case_id = ? ORDER BY seq")) {
            for (String id : caseIds) {
                ps.setString(1, id);
                List<Long> seqs = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) seqs.add(rs.getLong(1));
                }
                out.put(id, seqs);
            }
        }
        return out;
    }

    List<ServeEvent> served(String path) {
        List<ServeEvent> all = new ArrayList<>(receiver.getAllServeEvents()); // newest first
        java.util.Collections.reverse(all);
        return all.stream().filter(e -> e.getRequest().getUrl().equals(path)).toList();
    }

    /** What the receiver accepted, per case, in arrival order (a receiver that applies each event id once). */
    Map<String, List<Long>> accepted(String path) {
        Map<String, List<Long>> out = new LinkedHashMap<>();
        for (ServeEvent e : served(path)) {
            if (e.getResponse().getStatus() != 200) continue;
            JsonObject body = new JsonObject(e.getRequest().getBodyAsString());
            List<Long> seqs = out.computeIfAbsent(body.getJsonObject("case").getString("id"), k -> new ArrayList<>());
            if (!seqs.contains(body.getLong("sequence"))) seqs.add(body.getLong("sequence"));
        }
        return out;
    }

    static String hmac(byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void anHourLongOutageLosesNothingAndTheBacklogDrainsInOrderPerCase() throws Exception {
        Cases cases = new Cases(db.database(), clock);
        JdbcCaseLedger ledger = new JdbcCaseLedger(db.database());
        String path = "/outage";
        Feed feed = feed(db, path, Duration.ofHours(24));
        answer(path, 503);
        List<String> ids = cases.pushMany("RED", 6, true);
        feed.run();
        assertThat(retried.get()).isEqualTo(6);
        // An hour down, the cases moving all the while.
        for (int step = 0; step < 4; step++) {
            for (String id : ids) ledger.append(new LedgerEvent(id, "NOTE_" + step, clock.instant(), "test", Map.of("step", step)));
            clock.advance(Backoff.longest());
            feed.run();
        }
        assertThat(delivered.get()).isZero();
        assertThat(parked.get()).isZero();
        assertThat(feed.store().counts().pendingCases()).isGreaterThanOrEqualTo(6);
        assertThat(feed.store().list("PENDING", "", 0, 100)).filteredOn(d -> ids.contains(d.caseId()))
                .allSatisfy(d -> {
                    assertThat(d.attempts()).isEqualTo(5);
                    assertThat(d.lastStatus()).isEqualTo(503);
                    assertThat(d.waitingEvents()).isEqualTo(5);
                });

        receiver.resetMappings();
        answer(path, 200);
        clock.advance(Backoff.longest());
        for (int i = 0; i < 10 && feed.store().counts().pendingCases() > 0; i++) feed.run();

        Map<String, List<Long>> stored = ledger(db, ids);
        Map<String, List<Long>> got = accepted(path);
        for (String id : ids) {
            assertThat(got.get(id)).as("case %s arrived whole and in order", id).isEqualTo(stored.get(id));
        }
        assertThat(delivered.get()).isEqualTo(stored.values().stream().mapToInt(List::size).sum());

        // Every request: signed over its exact body, idempotency key = event id; retries resend the same bytes.
        Map<String, String> bodyById = new LinkedHashMap<>();
        Map<String, Integer> lastAttempt = new LinkedHashMap<>();
        for (ServeEvent e : served(path)) {
            byte[] body = e.getRequest().getBody();
            JsonObject json = new JsonObject(e.getRequest().getBodyAsString());
            String eventId = json.getString("eventId");
            assertThat(e.getRequest().getHeader("X-Outreach-Signature")).isEqualTo(hmac(body));
            assertThat(e.getRequest().getHeader("Idempotency-Key")).isEqualTo(eventId);
            assertThat(eventId).isEqualTo(json.getJsonObject("case").getString("id") + "-" + json.getLong("sequence"));
            String before = bodyById.putIfAbsent(eventId, e.getRequest().getBodyAsString());
            if (before != null) assertThat(e.getRequest().getBodyAsString()).isEqualTo(before);
            int attempt = Integer.parseInt(e.getRequest().getHeader("X-Outreach-Delivery-Attempt"));
            assertThat(attempt).isGreaterThan(lastAttempt.getOrDefault(eventId, 0));
            lastAttempt.put(eventId, attempt);
        }
        // The first event of each case was tried through the whole outage: six times, the last one accepted.
        String firstOfCase = ids.get(0) + "-" + stored.get(ids.get(0)).get(0);
        assertThat(lastAttempt.get(firstOfCase)).isEqualTo(6);
        JsonObject received = new JsonObject(bodyById.get(firstOfCase));
        assertThat(received.getString("type")).isEqualTo("RECEIVED");
        assertThat(received.getJsonObject("case").getString("source")).isEqualTo("test");
        assertThat(received.getValue("previousSequence")).isNull();
        assertThat(received.encode()).doesNotContain("+86").doesNotContain("1390000"); // no phone number travels
    }

    @Test
    void twoNodesShareTheFeedWithoutSendingAnEventTwiceOrOutOfOrder() throws Exception {
        Cases cases = new Cases(db.database(), clock);
        JdbcCaseLedger ledger = new JdbcCaseLedger(db.database());
        String path = "/two-nodes";
        answer(path, 200);
        Feed nodeA = feed(db, path, Duration.ofHours(24));
        Feed nodeB = feed(db, path, Duration.ofHours(24));
        List<String> ids = cases.pushMany("YELLOW", 40, true);
        for (int step = 0; step < 3; step++) {
            for (String id : ids) ledger.append(new LedgerEvent(id, "NOTE_" + step, clock.instant(), "test", Map.of()));
        }
        java.util.concurrent.ExecutorService nodes = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20 && nodeA.store().counts().pendingCases() + nodeA.store().counts().scanLag() > 0;
                 round++) {
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<?>> runs = new ArrayList<>();
                for (Feed node : List.of(nodeA, nodeB)) {
                    runs.add(nodes.submit(() -> {
                        together.await(); // both nodes scan and claim at the same moment
                        node.run();
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> r : runs) r.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            nodes.shutdownNow();
        }
        Map<String, List<Long>> stored = ledger(db, ids);
        Map<String, List<Long>> got = accepted(path);
        for (String id : ids) assertThat(got.get(id)).as("case %s whole and in order", id).isEqualTo(stored.get(id));
        int events = stored.values().stream().mapToInt(List::size).sum();
        assertThat(served(path)).as("each event sent once: claims keep the nodes apart").hasSize(events);
        assertThat(delivered.get()).isEqualTo(events);
    }

    @Test
    void aRefusalParksTheCaseAtOnceItsLaterEventsWaitAndARetryRequeuesIt() throws Exception {
        Cases cases = new Cases(db.database(), clock);
        JdbcCaseLedger ledger = new JdbcCaseLedger(db.database());
        String path = "/refusal";
        Feed feed = feed(db, path, Duration.ofHours(24));
        String refusedCase = cases.pushAs("refusal-test", "REFUSE-1", "13955550001", "YELLOW", "510104001001");
        String fineCase = cases.pushAs("refusal-test", "FINE-1", "13955550002", "YELLOW", "510104001001");
        answer(path, 200);
        receiver.stubFor(post(urlPathEqualTo(path)).atPriority(1)
                .withRequestBody(matchingJsonPath("$.case.externalId", equalTo("REFUSE-1")))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown jurisdiction\"}")));
        feed.run();
        assertThat(parked.get()).isEqualTo(1);
        assertThat(accepted(path).get(fineCase)).hasSize(1);

        ledger.append(new LedgerEvent(refusedCase, "NOTE", clock.instant(), "test", Map.of()));
        clock.advance(Backoff.longest());
        feed.run();
        List<Delivery> failed = feed.store().list("FAILED", "", 0, 100);
        assertThat(failed).extracting(Delivery::caseId).containsExactly(refusedCase);
        Delivery d = failed.get(0);
        assertThat(d.lastStatus()).isEqualTo(400);
        assertThat(d.lastError()).startsWith("refused: HTTP 400");
        assertThat(d.headType()).isEqualTo("RECEIVED");
        assertThat(d.waitingEvents()).isEqualTo(2);
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(served(path).stream().filter(e -> e.getRequest().getBodyAsString().contains("REFUSE-1")).count())
                .as("a parked delivery is not tried again by itself").isEqualTo(1);
        assertThat(feed.store().counts().failedCases()).isEqualTo(1);
        assertThat(feed.store().list("FAILED", "440", 0, 100)).as("outside the prefix").isEmpty();

        receiver.resetMappings();
        answer(path, 200);
        assertThat(feed.store().retry(d.id(), "", clock.instant())).isTrue();
        assertThat(feed.store().retry(d.id(), "", clock.instant())).as("no longer failed").isFalse();
        feed.run();
        assertThat(accepted(path).get(refusedCase)).isEqualTo(ledger(db, List.of(refusedCase)).get(refusedCase));
        assertThat(feed.store().counts().failedCases()).isZero();
    }

    @Test
    void aReceiverDownPastTheHorizonIsParkedAndRetryAllRequeuesIt() {
        Cases cases = new Cases(db.database(), clock);
        String path = "/horizon";
        Feed feed = feed(db, path, Duration.ofHours(1));
        answer(path, 503);
        String id = cases.push("ROAMING", true);
        for (int i = 0; i < 8 && feed.store().list("FAILED", "", 0, 100).stream().noneMatch(x -> x.caseId().equals(id)); i++) {
            feed.run();
            clock.advance(Backoff.longest());
        }
        Delivery d = feed.store().list("FAILED", "", 0, 100).stream().filter(x -> x.caseId().equals(id)).findFirst()
                .orElseThrow();
        assertThat(d.lastError()).startsWith("gave up after").contains("over 1 h").contains("HTTP 503");
        receiver.resetMappings();
        answer(path, 204);
        assertThat(feed.store().retryAll("", clock.instant())).isGreaterThanOrEqualTo(1);
        feed.run();
        List<ServeEvent> all = served(path);
        assertThat(all.get(all.size() - 1).getResponse().getStatus()).isEqualTo(204);
        assertThat(feed.store().find(d.id(), "").orElseThrow().status()).isEqualTo("IDLE");
    }

    @Test
    void aCasePrunedAfterAQuietWeekSendsOnlyItsNewEventsChainedToTheLastOneSent() throws Exception {
        Cases cases = new Cases(db.database(), clock);
        JdbcCaseLedger ledger = new JdbcCaseLedger(db.database());
        String path = "/pruned";
        answer(path, 200);
        Feed feed = feed(db, path, Duration.ofHours(24));
        List<String> ids = cases.pushMany("RED", 2, true);
        for (String id : ids) ledger.append(new LedgerEvent(id, "SMS_SENT", clock.instant(), "test", Map.of()));
        feed.run();
        Map<String, List<Long>> before = ledger(db, ids);
        assertThat(accepted(path)).isEqualTo(before);

        PruneLedgerCursorsJob prune = new PruneLedgerCursorsJob(feed.store(), clock);
        clock.advance(PruneLedgerCursorsJob.KEEP_IDLE.minusHours(1));
        assertThat(prune.runOnce()).as("idle for less than a week: kept").isZero();
        clock.advance(Duration.ofHours(2));
        assertThat(prune.runOnce()).isEqualTo(2);
        assertThat(feed.store().list("IDLE", "", 0, 100)).isEmpty();

        // Other cases' events in between: the new cursors' starting points are not the cases' own last events.
        cases.pushMany("YELLOW", 3, true);
        for (String id : ids) ledger.append(new LedgerEvent(id, "VERIFIED", clock.instant(), "test", Map.of()));
        feed.run();

        Map<String, List<Long>> stored = ledger(db, ids);
        for (String id : ids) {
            assertThat(accepted(path).get(id)).as("case %s: each event once, nothing resent", id).isEqualTo(stored.get(id));
            List<JsonObject> sent = served(path).stream().map(e -> new JsonObject(e.getRequest().getBodyAsString()))
                    .filter(b -> b.getJsonObject("case").getString("id").equals(id)).toList();
            assertThat(sent).hasSize(stored.get(id).size());
            JsonObject last = sent.get(sent.size() - 1);
            assertThat(last.getString("type")).isEqualTo("VERIFIED");
            assertThat(last.getLong("previousSequence")).as("chained to what the receiver stored last")
                    .isEqualTo(before.get(id).get(before.get(id).size() - 1));
        }
    }

    @Test
    void aDeliveryThatGotNoAnswerIsListedWithoutAnHttpStatus() throws Exception {
        int nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nobody = s.getLocalPort(); // closed again: connections are refused
        }
        Feed unreachable = feedTo(db, "http://127.0.0.1:" + nobody + "/in", Duration.ofDays(1));
        String id = new Cases(db.database(), clock).push("RED", true);
        unreachable.run();
        Delivery d = unreachable.store().list("PENDING", "", 0, 100).stream().filter(x -> x.caseId().equals(id))
                .findFirst().orElseThrow();
        assertThat(d.lastError()).isNotBlank();
        assertThat(d.lastStatus()).as("no HTTP answer, so no status (not 0)").isNull();
    }

    @Test
    void pruningKeepsEveryCursorThatStillOwesSomethingOrWasUsedThisWeek() throws Exception {
        Cases cases = new Cases(db.database(), clock);
        JdbcCaseLedger ledger = new JdbcCaseLedger(db.database());
        Feed ok = feed(db, "/keep-ok", Duration.ofHours(24));
        Feed down = feed(db, "/keep-down", Duration.ofDays(30));
        Feed refusing = feed(db, "/keep-refusing", Duration.ofDays(30));
        answer("/keep-ok", 200);
        answer("/keep-down", 503);
        answer("/keep-refusing", 400);
        String quiet = cases.push("RED", true);
        String busy = cases.push("RED", true);
        for (Feed f : List.of(ok, down, refusing)) f.run();
        clock.advance(PruneLedgerCursorsJob.KEEP_IDLE.plusDays(1));
        ledger.append(new LedgerEvent(busy, "NOTE", clock.instant(), "test", Map.of()));
        ok.run(); // the busy case's cursor for /keep-ok is used again today

        assertThat(new PruneLedgerCursorsJob(ok.store(), clock).runOnce()).as("only the quiet case's idle cursor")
                .isEqualTo(1);
        assertThat(ok.store().list("IDLE", "", 0, 100)).extracting(Delivery::caseId).containsExactly(busy);
        assertThat(down.store().list("PENDING", "", 0, 100)).extracting(Delivery::caseId)
                .containsExactlyInAnyOrder(quiet, busy);
        assertThat(refusing.store().list("FAILED", "", 0, 100)).extracting(Delivery::caseId)
                .containsExactlyInAnyOrder(quiet, busy);
    }
}
