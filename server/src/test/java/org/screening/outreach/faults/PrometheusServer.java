package org.screening.outreach.faults;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.screening.outreach.support.InstalledBinary;
import org.screening.outreach.support.PrometheusConfigCopy;

/**
 * Prometheus run with the shipped prometheus.yml and alerts.yml (a rendered copy of prometheus.yml: loopback targets,
 * see {@link PrometheusConfigCopy}), listening on 127.0.0.1. After the scenarios the drill asks its HTTP API what an
 * operator would look at: is every node scraped, did every alert rule load and evaluate without error.
 */
final class PrometheusServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** What the API says: targets by health, rules by health, with the names of those that are not fine. */
    record Health(int targets, List<String> targetsNotUp, int rules, List<String> rulesNotOk) {
        boolean allFine() {
            return targets > 0 && targetsNotUp.isEmpty() && rules > 0 && rulesNotOk.isEmpty();
        }
    }

    private final int port;
    private final LoopbackDaemon prometheus;

    PrometheusServer(Path dir, List<NodeProcess> nodes, int balancerStatsPort) throws IOException {
        port = FaultRig.freePort();
        List<String> outreach = nodes.stream().map(n -> "127.0.0.1:" + n.httpPort).toList();
        Path config = PrometheusConfigCopy.render(dir.resolve("prometheus.yml"), Map.of("outreach", outreach,
                "haproxy", List.of("127.0.0.1:" + balancerStatsPort), "prometheus", List.of("127.0.0.1:" + port)));
        prometheus = LoopbackDaemon.start("prometheus", List.of(
                InstalledBinary.require("prometheus", "prometheus").toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"), Map.of(), dir.resolve("prometheus.log"));
    }

    boolean ready() throws InterruptedException {
        prometheus.assertAlive();
        try {
            return HTTP.send(request("/-/ready"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    Health health() throws IOException, InterruptedException {
        List<String> notUp = new ArrayList<>();
        JsonArray targets = get("/api/v1/targets?state=active").getJsonArray("activeTargets");
        for (Object o : targets) {
            JsonObject t = (JsonObject) o;
            if (!"up".equals(t.getString("health"))) {
                notUp.add(t.getString("scrapeUrl") + " " + t.getString("health") + " " + t.getString("lastError", ""));
            }
        }
        int rules = 0;
        List<String> notOk = new ArrayList<>();
        for (Object g : get("/api/v1/rules").getJsonArray("groups")) {
            for (Object o : ((JsonObject) g).getJsonArray("rules")) {
                JsonObject r = (JsonObject) o;
                rules++;
                if (!"ok".equals(r.getString("health"))) notOk.add(r.getString("name") + " " + r.getString("health")
                        + " " + r.getString("lastError", ""));
            }
        }
        return new Health(targets.size(), notUp, rules, notOk);
    }

    /** An instant query's result vector. */
    JsonArray query(String promql) throws IOException, InterruptedException {
        return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).getJsonArray("result");
    }

    private JsonObject get(String pathAndQuery) throws IOException, InterruptedException {
        prometheus.assertAlive();
        HttpResponse<String> r = HTTP.send(request(pathAndQuery), HttpResponse.BodyHandlers.ofString());
        JsonObject body = new JsonObject(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.getString("status"))) {
            throw new IllegalStateException(pathAndQuery + " answered " + r.statusCode() + ": " + r.body());
        }
        return body.getJsonObject("data");
    }

    private HttpRequest request(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        prometheus.close();
    }
}
