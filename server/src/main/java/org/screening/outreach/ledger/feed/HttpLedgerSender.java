package org.screening.outreach.ledger.feed;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.screening.outreach.domain.Masking;

/**
 * POSTs an event with the JDK HTTP client (asynchronous: a slow receiver holds no thread). Headers: the signature,
 * {@code Idempotency-Key} (= the event id, the same on every retry), and the attempt number for the receiver's logs.
 */
public final class HttpLedgerSender implements LedgerSender {
    private static final int ERROR_CHARS = 200;
    private final HttpClient client;
    private final FeedSignature signature;
    private final Duration timeout;
    private final java.util.Map<String, String> headers;

    public HttpLedgerSender(FeedSignature signature, Duration timeout) {
        this(signature, timeout, java.util.Map.of());
    }

    /** {@code headers}: sent with every request (a transfer names the sending jurisdiction, so the peer picks the key). */
    public HttpLedgerSender(FeedSignature signature, Duration timeout, java.util.Map<String, String> headers) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.signature = signature;
        this.timeout = timeout;
        this.headers = java.util.Map.copyOf(headers);
    }

    @Override
    public CompletableFuture<SendResult> send(String destination, String eventId, int attempt, byte[] body) {
        HttpRequest request;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(destination));
            headers.forEach(b::header);
            request = b.timeout(timeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .header(FeedSignature.HEADER, signature.sign(body))
                    .header("Idempotency-Key", eventId)
                    .header("X-Outreach-Event-Id", eventId)
                    .header("X-Outreach-Delivery-Attempt", Integer.toString(attempt))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(SendResult.unreachable("bad destination URL: " + e.getMessage()));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(r -> SendResult.ofStatus(r.statusCode(), clip(new String(r.body(), StandardCharsets.UTF_8)),
                        r.headers().firstValue("Retry-After").orElse(null)))
                .exceptionally(HttpLedgerSender::failure);
    }

    private static SendResult failure(Throwable t) {
        Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof HttpTimeoutException) return SendResult.unreachable("timed out: " + cause.getMessage());
        return SendResult.unreachable(clip(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
    }

    /** Receivers' error bodies may quote what they were sent; keep them short and without long numbers. */
    static String clip(String text) {
        String t = Masking.redactNumbers(text == null ? "" : text.replaceAll("\\s+", " ").strip());
        return t.length() <= ERROR_CHARS ? t : t.substring(0, ERROR_CHARS) + "…";
    }
}
