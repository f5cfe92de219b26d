package org.screening.outreach.web.console;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.MultiMap;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader;

/**
 * Renders the console's Velocity pages (classpath {@code pages/console/}) with every inserted value HTML-escaped,
 * and sends them with the security headers every console answer carries.
 */
public final class ConsolePages {
    static final String LANG_COOKIE = "osc_lang";
    static final String LIST_COOKIE = "osc_list";
    /** Scripts and styles only from the server itself; no framing, forms post only to the console. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    private final VelocityEngine engine = new VelocityEngine();
    private final boolean secureCookies;

    public ConsolePages(boolean secureCookies) {
        this.secureCookies = secureCookies;
        engine.setProperty(RuntimeConstants.RESOURCE_LOADERS, "classpath");
        engine.setProperty("resource.loader.classpath.class", ClasspathResourceLoader.class.getName());
        engine.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, true);
        // Names come from pushed lists and may contain markup: it must show as text.
        engine.setProperty("event_handler.reference_insertion.class",
                "org.apache.velocity.app.event.implement.EscapeHtmlReference");
        engine.init();
    }

    /**
     * The language of this request: {@code ?lang=zh|en} (remembered in a cookie), else the cookie, else Chinese.
     */
    public Messages messages(RoutingContext ctx) {
        Messages cached = ctx.get("console.messages");
        if (cached != null) return cached;
        String asked = ctx.queryParams().get("lang");
        String lang;
        if (Messages.supported(asked)) {
            lang = asked;
            ctx.response().addCookie(Cookie.cookie(LANG_COOKIE, lang).setPath("/console").setHttpOnly(true)
                    .setSameSite(CookieSameSite.LAX).setSecure(secureCookies).setMaxAge(365L * 24 * 3600));
        } else {
            Cookie c = ctx.request().getCookie(LANG_COOKIE);
            lang = c != null && Messages.supported(c.getValue()) ? c.getValue() : Messages.DEFAULT_LANG;
        }
        Messages m = Messages.of(lang);
        ctx.put("console.messages", m);
        return m;
    }

    /** Remembers the work list as last shown (tab, filters, page): the case page leads back to it. */
    void rememberList(RoutingContext ctx, WorkListFilter list) {
        ctx.response().addCookie(Cookie.cookie(LIST_COOKIE, list.href()).setPath("/console").setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX).setSecure(secureCookies));
    }

    /** The work list as this browser last showed it, its values read again (never echoed); the start if none. */
    static String listHref(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(LIST_COOKIE);
        if (c == null || !c.getValue().startsWith("/console?")) return WorkListFilter.START.href();
        MultiMap params = MultiMap.caseInsensitiveMultiMap();
        new QueryStringDecoder(c.getValue()).parameters()
                .forEach((name, values) -> params.add(name, (Iterable<String>) values));
        return WorkListFilter.from(params).href();
    }

    String render(RoutingContext ctx, String page, Map<String, Object> vars) {
        Messages m = messages(ctx);
        Map<String, Object> all = new HashMap<>(vars);
        all.put("m", m);
        all.put("lang", m.lang());
        all.put("otherLang", m.lang().equals("zh") ? "en" : "zh");
        // The language link reloads this page; after a form post that is the page the form belongs to.
        String path = ctx.request().path();
        if (ctx.request().method() == HttpMethod.POST) path = pageOf(path);
        all.put("langHref", langHref(ctx, path, (String) all.get("otherLang")));
        StaffUser user = ConsoleAuth.user(ctx);
        if (user != null) {
            all.put("user", user);
            all.put("csrf", ConsoleAuth.csrf(ctx));
        }
        StringWriter out = new StringWriter();
        engine.getTemplate("pages/console/" + page + ".vm", "UTF-8").merge(new VelocityContext(all), out);
        return out.toString();
    }

    /** The page a form posted to {@code path} belongs to (the case page of a case's action, …): where to show it again. */
    static String pageOf(String path) {
        return path.replaceFirst("/(reveal|verify|close|door-knock|door-knock/assign|police-review|sms|transfer|preview|pause|resume|cancel)$", "")
                .replaceFirst("^/console/(logout|door-knocks/assign)$", "/console")
                .replaceFirst("^/console/transfers/[^/]+/retry$", "/console/transfers")
                .replaceFirst("^/console/simulator/(start|event|reset)$", "/console/simulator")
                .replaceFirst("^/console/admin/staff/(disable|enable|password)$", "/console/admin/staff");
    }

    /** Parameters that report what was just done: shown once, not again in the other language. */
    private static final Set<String> ONE_SHOT = Set.of("lang", "done", "refused", "assigned", "of");

    /**
     * The language link: this page with {@code lang} set; a page that was got keeps its query (the work list's tab,
     * filters and page), re-encoded.
     */
    private static String langHref(RoutingContext ctx, String path, String lang) {
        StringBuilder b = new StringBuilder(path).append('?');
        if (ctx.request().method() == HttpMethod.GET) {
            ctx.queryParams().forEach((name, value) -> {
                if (ONE_SHOT.contains(name)) return;
                b.append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
            });
        }
        return b.append("lang=").append(lang).toString();
    }

    public void send(RoutingContext ctx, int status, String page, Map<String, Object> vars) {
        String html;
        try {
            html = render(ctx, page, vars);
        } catch (RuntimeException e) {
            // Often called from a future's callback, where a throw would leave the request unanswered.
            if (!"message".equals(page)) ctx.fail(e);
            else throw e;
            return;
        }
        if (ctx.response().ended()) return;
        headers(ctx).setStatusCode(status).putHeader("Content-Type", "text/html; charset=utf-8").end(html);
    }

    /** A page that only says what went wrong (403, 404, 429, 500): never a stack trace. */
    public void message(RoutingContext ctx, int status, String titleKey, String textKey) {
        Messages m = messages(ctx);
        send(ctx, status, "message", Map.of("title", m.get(titleKey), "text", m.get(textKey)));
    }

    public void redirect(RoutingContext ctx, String location) {
        if (ctx.response().ended()) return;
        headers(ctx).setStatusCode(303).putHeader("Location", location).end();
    }

    static io.vertx.core.http.HttpServerResponse headers(RoutingContext ctx) {
        return ctx.response().putHeader("Content-Security-Policy", CSP)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("X-Frame-Options", "DENY")
                .putHeader("Referrer-Policy", "same-origin")
                .putHeader("Cache-Control", "no-store");
    }
}
