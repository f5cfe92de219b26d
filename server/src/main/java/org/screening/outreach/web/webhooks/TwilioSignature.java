package org.screening.outreach.web.webhooks;

import com.twilio.security.RequestValidator;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
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

    private final RequestValidator validator;
    private final String publicUrl;

    /** {@code authToken} null or blank (Twilio not configured): every request is refused. */
    public TwilioSignature(String authToken, String publicUrl) {
        this.validator = authToken == null || authToken.isBlank() ? null : new RequestValidator(authToken);
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
        try {
            return validator.validate(url, params, signature);
        } catch (RuntimeException e) { // a URL the SDK cannot parse is not one Twilio signed
            return false;
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
