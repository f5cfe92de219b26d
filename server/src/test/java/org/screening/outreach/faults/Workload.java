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
import java.time.Duration;

/**
 * One scenario's work, pushed through the public API as a province would — to the public address, the load
 * balancer, which spreads the batches over the nodes: {@code cases} 黄码 cases (a reminder SMS and a call each), and
 * a campaign of {@code recipients} numbers. Phone numbers are distinct
 * per scenario ({@code series} 0–9), so nothing is merged with another scenario's people.
 */
record Workload(String source, int cases, long campaignId, int recipients) {
    static final String JURISDICTION = "510104001001";

    static Workload push(HttpClient http, String publicUrl, String scenario, int series, int cases, int recipients)
            throws IOException, InterruptedException {
        String source = "faults-" + scenario;
        for (int from = 0; from < cases; from += 1000) {
            JsonArray rows = new JsonArray();
            for (int i = from; i < Math.min(cases, from + 1000); i++) {
                rows.add(new JsonObject().put("externalId", scenario + "-" + i).put("name", "测试" + i)
                        .put("phone", phone("139", series, i)).put("category", "黄码").put("jurisdiction", JURISDICTION));
            }
            JsonObject answer = post(http, publicUrl, "/api/v1/cases", "application/json",
                    new JsonObject().put("source", source).put("cases", rows).encode());
            if (answer.getInteger("accepted", -1) != rows.size()) {
                throw new IllegalStateException("push accepted " + answer.getValue("accepted") + " of " + rows.size());
            }
        }
        StringBuilder csv = new StringBuilder("phone\n");
        for (int i = 0; i < recipients; i++) csv.append(phone("136", series, i)).append('\n');
        String query = "?template=campaign.notice&name=" + enc(source) + "&var.sender=" + enc("故障演练")
                + "&var.text=" + enc("请按时完成核酸检测");
        JsonObject campaign = post(http, publicUrl, "/api/v1/campaigns" + query, "text/csv; charset=utf-8", csv.toString());
        long id = campaign.getLong("id");
        return new Workload(source, cases, id, recipients);
    }

    /** 11 digits: prefix, the scenario's series digit, the index. */
    static String phone(String prefix, int series, int i) {
        return prefix + series + String.format("%07d", i);
    }

    private static JsonObject post(HttpClient http, String base, String path, String type, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + FaultRig.ADMIN).header("Content-Type", type)
                .timeout(Duration.ofMinutes(5)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + " answered " + r.statusCode() + ": " + r.body());
        }
        return new JsonObject(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
