package org.screening.outreach.web.webhooks;

import com.twilio.security.RequestValidator;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.screening.outreach.web.Replies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a Twilio webhook through only when {@code X-Twilio-Signature} matches, checked with the SDK's
 * {@link RequestValidator} (HMAC-SHA1 of URL + sorted POST params, keyed with the auth token); 403 JSON otherwise.
 *
 * <p>The URL is rebuilt as Twilio saw it: {@code OUTREACH_PUBLIC_URL} + path (+ "?" + raw query). The Host header
 * is not used: behind a proxy or TLS terminator it names us, not the address Twilio called. Must run after a
 * {@code BodyHandler}, which decodes the form into {@code formAttributes()}.
 */
public final class TwilioSignature implements Handler<RoutingContext> {
    public static final String HEADER = "X-Twilio-Signature";
    private static final Logger LOG = LoggerFactory.getLogger(TwilioSignature.class);

    private static final String HMAC_SHA1 = "HmacSHA1";

    private final RequestValidator validator;
    /** A Mac is not thread-safe: one per thread that checks (the event loops), keyed once. */
    private final ThreadLocal<Mac> macs;
    private final String publicUrl;

    /** {@code authToken} null or blank (Twilio not configured): every request is refused. */
    public TwilioSignature(String authToken, String publicUrl) {
        boolean configured = authToken != null && !authToken.isBlank();
        this.validator = configured ? new RequestValidator(authToken) : null;
        SecretKeySpec key = configured ? new SecretKeySpec(authToken.getBytes(StandardCharsets.UTF_8), HMAC_SHA1) : null;
        this.macs = ThreadLocal.withInitial(() -> hmacSha1(key));
        this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
        if (validator == null) LOG.warn("no Twilio auth token configured: Twilio webhooks will answer 403");
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String url = publicUrl + req.path() + (req.query() == null ? "" : "?" + req.query());
        if (matches(url, params(req.formAttributes()), req.getHeader(HEADER))) {
            ctx.next();
            return;
        }
        // Neither the signature nor the form goes to the log: the form carries phone numbers.
        LOG.warn("twilio webhook {} refused: signature missing or not matching {}", req.path(), publicUrl);
        Replies.error(ctx, 403, "forbidden", "the X-Twilio-Signature does not match this request");
    }

    /** {@code url}: the full URL Twilio requested, query included. */
    public boolean matches(String url, Map<String, String> params, String signature) {
        if (validator == null || signature == null || signature.isBlank()) return false;
        if (signedAsIs(url, params, signature)) return true;
        try {
            return validator.validate(url, params, signature);
        } catch (RuntimeException e) { // a URL the SDK cannot parse is not one Twilio signed
            return false;
        }
    }

    /**
     * The usual case, cheaply: the SDK signs two variants of the URL on every call (the default port added and
     * removed), parsing the URL twice and looking the HMAC algorithm up each time. The URL as given is always one of
     * the two (the SDK leaves it as it is when it has a port to keep or none to remove), so a signature of it with
     * the SDK's recipe (URL, then each name and value by sorted name; HMAC-SHA1 with the auth token, Base64) is one
     * the SDK accepts; anything else is left to the SDK.
     */
    private boolean signedAsIs(String url, Map<String, String> params, String signature) {
        List<String> names = new ArrayList<>(params.keySet());
        Collections.sort(names);
        StringBuilder data = new StringBuilder(url);
        for (String name : names) {
            String value = params.get(name);
            data.append(name).append(value == null ? "" : value);
        }
        byte[] mac = macs.get().doFinal(data.toString().getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(Base64.getEncoder().encode(mac), signature.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac hmacSha1(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(HMAC_SHA1);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + HMAC_SHA1 + " in this JDK", e);
        }
    }

    /**
     * The SDK takes one value per name. Twilio signs every value of a repeated name, so such a request will not
     * match; Twilio's SMS and voice callbacks do not repeat names.
     */
    private static Map<String, String> params(MultiMap form) {
        Map<String, String> out = new HashMap<>();
        for (String name : form.names()) out.put(name, form.get(name));
        return out;
    }
}
