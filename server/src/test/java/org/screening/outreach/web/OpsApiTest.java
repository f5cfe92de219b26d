package org.screening.outreach.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.screening.outreach.support.Await;
import org.junit.jupiter.api.Test;

/** {@code /metrics} over real HTTP, with a gauge refresh the test holds up as a database that is away would. */
class OpsApiTest {
    final Vertx vertx = Vertx.vertx();
    final HttpClient client = HttpClient.newHttpClient();

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void scrapesArrivingWhileOneRefreshesShareItInsteadOfPilingUpOnTheWorkers() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.counter("probe").increment();
        AtomicInteger refreshes = new AtomicInteger();
        CountDownLatch refreshing = new CountDownLatch(1);
        CountDownLatch databaseBack = new CountDownLatch(1);
        Runnable slowRefresh = () -> {
            refreshes.incrementAndGet();
            refreshing.countDown();
            try {
                databaseBack.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        OpsApi ops = new OpsApi(null, registry, new Blocking(vertx.createSharedWorkerExecutor("ops-test", 4)), slowRefresh);
        CountDownLatch handled = new CountDownLatch(3);
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ctx -> {
            ctx.next(); // OpsApi has started or joined a scrape when this returns
            handled.countDown();
        }).handler(ops::metrics);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics")).build();

        CompletableFuture<HttpResponse<String>> first = client.sendAsync(scrape, HttpResponse.BodyHandlers.ofString());
        assertThat(refreshing.await(30, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<HttpResponse<String>>> more = List.of(
                client.sendAsync(scrape, HttpResponse.BodyHandlers.ofString()),
                client.sendAsync(scrape, HttpResponse.BodyHandlers.ofString()));
        assertThat(handled.await(30, TimeUnit.SECONDS)).as("all three scrapes reached /metrics").isTrue();
        databaseBack.countDown();

        for (CompletableFuture<HttpResponse<String>> r : List.of(first, more.get(0), more.get(1))) {
            HttpResponse<String> answer = r.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("probe_total 1.0");
        }
        assertThat(refreshes.get()).as("one refresh for the three scrapes under way together").isEqualTo(1);

        // Once it is done, the next scrape refreshes again: nothing is served stale.
        assertThat(client.send(scrape, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(refreshes.get()).isEqualTo(2);
    }

    @Test
    void aScrapeDuringADatabaseOutageAnswersWithTheLastFiguresInsteadOfTimingOut() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        java.util.concurrent.atomic.AtomicLong overdue = new java.util.concurrent.atomic.AtomicLong();
        io.micrometer.core.instrument.Gauge.builder("cases_overdue", overdue, java.util.concurrent.atomic.AtomicLong::get)
                .register(registry);
        AtomicInteger refreshes = new AtomicInteger();
        CountDownLatch databaseBack = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean away = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable refresh = () -> {
            refreshes.incrementAndGet();
            if (!away.get()) {
                overdue.set(5);
                return;
            }
            try {
                databaseBack.await(30, TimeUnit.SECONDS); // every query waits out the pool's timeout
                overdue.set(7);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        OpsApi ops = new OpsApi(null, registry, new Blocking(vertx.createSharedWorkerExecutor("ops-outage-test", 4)),
                refresh, java.time.Duration.ofMillis(200));
        Router router = Router.router(vertx);
        router.get("/metrics").handler(ops::metrics);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
        HttpRequest scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + "/metrics")).build();
        Await.until("a first refresh shown", java.time.Duration.ofSeconds(10),
                () -> body(scrape).contains("cases_overdue 5.0"));
        int before = refreshes.get();

        away.set(true);
        for (int i = 0; i < 2; i++) {
            // Answered while the refresh still waits for the database: the last figures, and no second refresh.
            HttpResponse<String> during = client.send(scrape, HttpResponse.BodyHandlers.ofString());
            assertThat(during.statusCode()).isEqualTo(200);
            assertThat(during.body()).contains("cases_overdue 5.0");
        }
        assertThat(refreshes.get()).as("the stuck refresh is shared, not repeated").isEqualTo(before + 1);
        databaseBack.countDown();
        Await.until("the refresh finished", java.time.Duration.ofSeconds(10), () -> overdue.get() == 7);
        away.set(false);
        assertThat(client.send(scrape, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        Await.until("the next scrape refreshes again", java.time.Duration.ofSeconds(10), () -> refreshes.get() == before + 2);
    }

    private String body(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
