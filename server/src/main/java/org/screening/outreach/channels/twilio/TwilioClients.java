package org.screening.outreach.channels.twilio;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import java.net.URI;
import java.time.Duration;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.routing.HttpRoutePlanner;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the SDK's {@link TwilioRestClient} on our own Apache HttpClient, for three reasons the SDK's default
 * client cannot serve:
 * <ol>
 * <li><b>API base</b>: the SDK always builds {@code https://api.twilio.com/...} URLs. With TWILIO_API_BASE set, a
 *   route planner sends every request to that host instead. The route's target is the base's own scheme, host
 *   and port, so for {@code http://127.0.0.1:8089} the connection is plain TCP to the stub (no TLS to fake): the
 *   request keeps its path ({@code /2010-04-01/Accounts/AC…/Messages.json}) and a {@code Host: api.twilio.com}
 *   header, which WireMock or Prism ignore. The URL scheme the SDK wrote never decides TLS; the route does.</li>
 * <li><b>No hidden retries</b>: the SDK repeats any 5xx three times with a blocking 100 ms sleep
 *   ({@code HttpClient.reliableRequest}), and Apache's retry strategy may repeat after I/O errors. Both are
 *   switched off so every repeat goes through {@link RetryPolicy} and is counted and logged.</li>
 * <li><b>Timeouts</b>: the SDK stamps its own request config (30.5 s connect) on every request, so the default
 *   request config of the builder would be ignored; an exec interceptor replaces it on the way out.</li>
 * </ol>
 */
public final class TwilioClients {
    /**
     * The HTTP status and {@code Retry-After} header of the last answer on this thread: the SDK drops the status
     * when an error answer has no JSON body (a 503 from a load balancer), and without it such an answer would look
     * like a lost response; its ApiException carries no headers at all, so Retry-After is only seen here.
     */
    private record LastAnswer(int status, String retryAfter) {}

    private static final ThreadLocal<LastAnswer> LAST_ANSWER = new ThreadLocal<>();

    private TwilioClients() {}

    /** Forget the last answer before a call, so a failure without an answer reads as status 0, no Retry-After. */
    static void clearLastStatus() {
        LAST_ANSWER.remove();
    }

    /** The HTTP status of the last answer on this thread since {@link #clearLastStatus()}, or 0. */
    static int lastStatus() {
        LastAnswer a = LAST_ANSWER.get();
        return a == null ? 0 : a.status();
    }

    /** The {@code Retry-After} header of that answer as sent, or null. */
    static String lastRetryAfter() {
        LastAnswer a = LAST_ANSWER.get();
        return a == null ? null : a.retryAfter();
    }

    private static String header(Response r, String name) {
        if (r.getHeaders() == null) return null;
        for (org.apache.hc.core5.http.Header h : r.getHeaders()) {
            if (name.equalsIgnoreCase(h.getName())) return h.getValue();
        }
        return null;
    }

    /** {@code apiBase} null: the real https://api.twilio.com. */
    public static TwilioRestClient create(String accountSid, String authToken, URI apiBase, Duration connectTimeout,
                                          Duration responseTimeout, int maxConnections) {
        Timeout connect = Timeout.of(connectTimeout);
        Timeout response = Timeout.of(responseTimeout);
        HttpClientBuilder http = HttpClientBuilder.create()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(connect)
                                .setSocketTimeout(response)
                                // A pooled connection idle this long is checked first: a dead keep-alive
                                // connection would otherwise turn into an ambiguous "no response".
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .setMaxConnPerRoute(maxConnections)
                        .setMaxConnTotal(maxConnections)
                        .build())
                .disableAutomaticRetries()
                .addExecInterceptorFirst("outreach-timeouts", (request, scope, chain) -> {
                    scope.clientContext.setRequestConfig(timeouts(scope.clientContext.getRequestConfigOrDefault(), connect, response));
                    return chain.proceed(request, scope);
                });
        if (apiBase != null) http.setRoutePlanner(fixedRoute(apiBase));
        NetworkHttpClient client = new NetworkHttpClient(http) {
            @Override
            public Response makeRequest(Request request) {
                Response r = super.makeRequest(request);
                LAST_ANSWER.set(new LastAnswer(r.getStatusCode(), header(r, "Retry-After")));
                return r;
            }

            @Override
            protected boolean shouldRetry(Response r, int[] retryCodes) {
                return false; // retries are ours (RetryPolicy), never the SDK's blocking ones
            }
        };
        return new TwilioRestClient.Builder(accountSid, authToken).accountSid(accountSid)
                .httpClient(client).build();
    }

    /** Every request, whatever host the SDK named, goes to {@code base}. */
    static HttpRoutePlanner fixedRoute(URI base) {
        String scheme = base.getScheme() == null ? "https" : base.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = base.getPort() > 0 ? base.getPort() : ("https".equals(scheme) ? 443 : 80);
        HttpHost target = new HttpHost(scheme, base.getHost(), port);
        HttpRoute route = new HttpRoute(target, null, "https".equals(scheme));
        return (host, context) -> route;
    }

    @SuppressWarnings("deprecation") // RequestConfig's connect timeout is deprecated but is the one the SDK sets
    private static RequestConfig timeouts(RequestConfig base, Timeout connect, Timeout response) {
        return RequestConfig.copy(base).setConnectTimeout(connect).setResponseTimeout(response).build();
    }
}
