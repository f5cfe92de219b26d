package org.screening.outreach.web.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.screening.outreach.support.Http.Reply;
import org.screening.outreach.web.Replies;

/**
 * The signature check over real HTTP. The known vector is Twilio's documented example: auth token 12345, URL
 * https://mycompany.com/myapp.php?foo=1&bar=2, params CallSid / Caller / Digits / From / To, signature
 * RSOYDt4T1cUTdK1PDd93/VVr8B8= — from Twilio's "Webhooks security" docs snippet
 * (TwilioDevEd/api-snippets security/signature_validation/signature_validation.2.x.js) and the same values in
 * twilio-java's src/test/java/com/twilio/security/RequestValidatorTest.java.
 */
class TwilioSignatureTest {
    static final String DOC_TOKEN = "12345";
    static final String DOC_SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";
    static final Map<String, String> DOC_PARAMS = Map.of("CallSid", "CA1234567890ABCDE", "Caller", "+14158675309",
            "Digits", "1234", "From", "+14158675309", "To", "+18005551212");

    static Vertx vertx;
    static HttpServer server;
    static TwilioTestRequests twilio;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        route(router, "/myapp.php", new TwilioSignature(DOC_TOKEN, "https://mycompany.com"));
        route(router, "/slash/myapp.php", new TwilioSignature(DOC_TOKEN, "https://mycompany.com/"));
        route(router, "/off/myapp.php", new TwilioSignature(" ", "https://mycompany.com"));
        route(router, "/port/myapp.php", new TwilioSignature(DOC_TOKEN, "https://mycompany.com:443"));
        router.route().failureHandler(Replies::failure);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get();
        twilio = new TwilioTestRequests(server.actualPort(), "https://mycompany.com", DOC_TOKEN);
    }

    static void route(Router router, String path, TwilioSignature signature) {
        router.post(path).handler(BodyHandler.create(false)).handler(signature)
                .handler(ctx -> ctx.response().end("passed"));
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void twiliosDocumentedExamplePasses() {
        Reply r = twilio.post("/myapp.php?foo=1&bar=2", DOC_PARAMS, DOC_SIGNATURE);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("passed");
    }

    @Test
    void theTestSignerAgreesWithTheDocumentedExample() {
        assertThat(TwilioTestRequests.sign(DOC_TOKEN, "https://mycompany.com/myapp.php?foo=1&bar=2", DOC_PARAMS))
                .isEqualTo(DOC_SIGNATURE);
    }

    @Test
    void aForgedSignatureIs403Json() {
        Reply r = twilio.post("/myapp.php?foo=1&bar=2", DOC_PARAMS, "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().getString("error")).isEqualTo("forbidden");
        assertThat(r.json().getString("message")).contains("X-Twilio-Signature");
    }

    @Test
    void aMissingSignatureIs403() {
        assertThat(twilio.post("/myapp.php?foo=1&bar=2", DOC_PARAMS, null).status()).isEqualTo(403);
    }

    @Test
    void changedParamsOrQueryBreakTheSignature() {
        Map<String, String> tampered = new java.util.HashMap<>(DOC_PARAMS);
        tampered.put("Digits", "9999");
        assertThat(twilio.post("/myapp.php?foo=1&bar=2", tampered, DOC_SIGNATURE).status()).isEqualTo(403);
        assertThat(twilio.post("/myapp.php?foo=1&bar=3", DOC_PARAMS, DOC_SIGNATURE).status()).isEqualTo(403);
        assertThat(twilio.post("/myapp.php", DOC_PARAMS, DOC_SIGNATURE).status()).isEqualTo(403);
    }

    @Test
    void theUrlIsThePublicOneNotTheAddressWeListenOn() {
        String local = "http://127.0.0.1:" + server.actualPort() + "/myapp.php?foo=1&bar=2";
        String signedForLocal = TwilioTestRequests.sign(DOC_TOKEN, local, DOC_PARAMS);
        assertThat(twilio.post("/myapp.php?foo=1&bar=2", DOC_PARAMS, signedForLocal).status()).isEqualTo(403);
    }

    @Test
    void aTrailingSlashOnThePublicUrlIsIgnored() {
        String sig = TwilioTestRequests.sign(DOC_TOKEN, "https://mycompany.com/slash/myapp.php?foo=1", DOC_PARAMS);
        assertThat(twilio.post("/slash/myapp.php?foo=1", DOC_PARAMS, sig).status()).isEqualTo(200);
    }

    /** Not the URL as rebuilt, but the SDK's other variant of it: the default port added or removed. */
    @Test
    void aSignatureOfTheUrlWithOrWithoutItsDefaultPortPasses() {
        String withPort = TwilioTestRequests.sign(DOC_TOKEN, "https://mycompany.com:443/myapp.php?foo=1&bar=2", DOC_PARAMS);
        assertThat(twilio.post("/myapp.php?foo=1&bar=2", DOC_PARAMS, withPort).status()).isEqualTo(200);
        String withoutPort = TwilioTestRequests.sign(DOC_TOKEN, "https://mycompany.com/port/myapp.php", DOC_PARAMS);
        assertThat(twilio.post("/port/myapp.php", DOC_PARAMS, withoutPort).status()).isEqualTo(200);
        String otherPort = TwilioTestRequests.sign(DOC_TOKEN, "https://mycompany.com:8443/myapp.php?foo=1&bar=2", DOC_PARAMS);
        assertThat(twilio.post("/myapp.php?foo=1&bar=2", DOC_PARAMS, otherPort).status()).isEqualTo(403);
    }

    @Test
    void withoutAnAuthTokenEverythingIsRefused() {
        String sig = TwilioTestRequests.sign(" ", "https://mycompany.com/off/myapp.php", DOC_PARAMS);
        assertThat(twilio.post("/off/myapp.php", DOC_PARAMS, sig).status()).isEqualTo(403);
    }
}
