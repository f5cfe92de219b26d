package org.screening.outreach.web.webhooks;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.screening.outreach.support.Http.Reply;

/**
 * Posts form requests to a local server the way Twilio does, signed for the public URL Twilio would have
 * called. The signing is written from Twilio's description (HMAC-SHA1 over the URL followed by each POST
 * parameter name and value, names sorted; Base64) independently of the SDK, and checked against Twilio's
 * documented vector in {@link TwilioSignatureTest}.
 */
public final class TwilioTestRequests {
    private final HttpClient client = HttpClient.newHttpClient();
    private final String local;
    private final String publicUrl;
    private final String authToken;

    public TwilioTestRequests(int port, String publicUrl, String authToken) {
        this.local = "http://127.0.0.1:" + port;
        this.publicUrl = publicUrl;
        this.authToken = authToken;
    }

    public static String sign(String token, String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((k, v) -> data.append(k).append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signed correctly for {@code publicUrl + pathAndQuery}. */
    public Reply post(String pathAndQuery, Map<String, String> form) {
        return post(pathAndQuery, form, sign(authToken, publicUrl + pathAndQuery, form));
    }

    /** With the given signature header (null: none). */
    public Reply post(String pathAndQuery, Map<String, String> form, String signature) {
        String body = form.entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(local + pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (signature != null) b.header("X-Twilio-Signature", signature);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
