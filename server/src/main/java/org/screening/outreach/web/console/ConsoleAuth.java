package org.screening.outreach.web.console;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.screening.outreach.web.Blocking;

/**
 * Requires a live console session on every route behind it and checks the CSRF token of every POST (403 page
 * otherwise). The cookie holds the session id; the database only its hash.
 */
public final class ConsoleAuth implements Handler<RoutingContext> {
    static final String SESSION_COOKIE = "osc_session";
    static final String CSRF_FIELD = "csrf";
    private static final String USER = "console.user";
    private static final String CSRF = "console.csrf";
    private final ConsoleSessions sessions;
    private final Blocking blocking;
    private final Clock clock;
    private final ConsolePages pages;
    private final boolean secureCookies;

    public ConsoleAuth(ConsoleSessions sessions, Blocking blocking, Clock clock, ConsolePages pages, boolean secureCookies) {
        this.sessions = sessions;
        this.blocking = blocking;
        this.clock = clock;
        this.pages = pages;
        this.secureCookies = secureCookies;
    }

    public static StaffUser user(RoutingContext ctx) {
        return ctx.get(USER);
    }

    public static String csrf(RoutingContext ctx) {
        return ctx.get(CSRF);
    }

    @Override
    public void handle(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
        String secret = cookie == null ? null : cookie.getValue();
        if (!SessionRules.wellFormed(secret)) {
            toLogin(ctx);
            return;
        }
        String idHash = SessionRules.hash(secret);
        Instant now = clock.instant();
        blocking.run(() -> {
            Optional<ConsoleSessions.Session> s = sessions.find(idHash, now).filter(x -> SessionRules.live(x, now));
            if (s.isPresent() && SessionRules.needsTouch(s.get(), now)) sessions.touch(idHash, now);
            return s;
        }).onSuccess(s -> {
            if (s.isEmpty()) {
                toLogin(ctx);
                return;
            }
            ctx.put(USER, s.get().user());
            ctx.put(CSRF, s.get().csrfToken());
            if (ctx.request().method() == HttpMethod.POST
                    && !SessionRules.csrfMatches(s.get().csrfToken(), ctx.request().getFormAttribute(CSRF_FIELD))) {
                pages.message(ctx, 403, "error.csrf.title", "error.csrf.text");
                return;
            }
            ctx.next();
        }).onFailure(ctx::fail);
    }

    /**
     * A page asked without a session goes to the login page and comes back afterwards; a form posted after the session
     * ended comes back to the page it was on (a door-knock result: the case), to be sent again.
     */
    private void toLogin(RoutingContext ctx) {
        String back = ctx.request().method() == HttpMethod.GET ? ctx.request().uri() : ConsolePages.pageOf(ctx.request().path());
        pages.redirect(ctx, "/console/login?next=" + URLEncoder.encode(SessionRules.safeNext(back), StandardCharsets.UTF_8));
    }

    /** Opens a session for {@code user} (on a worker) and sets its cookie; a new id at every login (no fixation). */
    Future<Void> open(RoutingContext ctx, StaffUser user) {
        String secret = SessionRules.newSecret();
        String csrf = SessionRules.newSecret();
        Instant now = clock.instant();
        return blocking.run(() -> {
            sessions.create(SessionRules.hash(secret), user.accountId(), csrf, now, now.plus(SessionRules.LIFETIME));
            return null;
        }).map(v -> {
            ctx.response().addCookie(sessionCookie(secret).setMaxAge(SessionRules.LIFETIME.toSeconds()));
            return null;
        });
    }

    /** Ends the session of this request in the database and in the browser. */
    Future<Void> close(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(SESSION_COOKIE);
        ctx.response().addCookie(sessionCookie("").setMaxAge(0));
        if (cookie == null || !SessionRules.wellFormed(cookie.getValue())) return Future.succeededFuture();
        String idHash = SessionRules.hash(cookie.getValue());
        return blocking.run(() -> {
            sessions.delete(idHash);
            return null;
        });
    }

    Cookie sessionCookie(String value) {
        return Cookie.cookie(SESSION_COOKIE, value).setPath("/console").setHttpOnly(true)
                .setSameSite(CookieSameSite.LAX).setSecure(secureCookies);
    }
}
