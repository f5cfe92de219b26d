package org.screening.outreach.support;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A small real HTTP client for API tests. */
public final class Http {
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** {@code location}: the Location header of a redirect (this client follows none), else null. */
    public record Reply(int status, String body, String location) {
        public Reply(int status, String body) {
            this(status, body, null);
        }

        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    /**
     * The whole answer (status line, headers, body) to a request line as a phone may send it, with a path that
     * java.net.URI refuses to build ({@code GET /r/abc%ZZ}).
     */
    public String raw(String methodAndPath) {
        String hostPort = base.substring("http://".length());
        int port = Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((methodAndPath + " HTTP/1.1\r\nHost: " + hostPort + "\r\nContent-Length: 0\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Reply get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    public Reply post(String path, String token, String contentType, byte[] body) {
        return send(request(path, token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public Reply postJson(String path, String token, JsonObject body) {
        return post(path, token, "application/json", body.encode().getBytes(StandardCharsets.UTF_8));
    }

    public Reply delete(String path, String token) {
        return send(request(path, token).DELETE().build());
    }

    public Reply put(String path, String token, String contentType, byte[] body) {
        return send(request(path, token).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public Reply putJson(String path, String token, JsonObject body) {
        return put(path, token, "application/json", body.encode().getBytes(StandardCharsets.UTF_8));
    }

    private HttpRequest.Builder request(String path, String token) {
        // A server that never answers fails the test (naming the request) instead of hanging the build.
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(java.time.Duration.ofSeconds(60));
        if (token != null) b.header("Authorization", "Bearer " + token);
        return b;
    }

    private Reply send(HttpRequest r) {
        try {
            HttpResponse<String> resp = client.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(resp.statusCode(), resp.body(), resp.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(r.method() + " " + r.uri().getPath() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
