package org.screening.outreach.web.console;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.screening.outreach.web.Blocking;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /console/login} and {@code /console/logout}. A wrong username and a wrong password get the same message
 * and take the same time; repeated failures are throttled. The login form has its own CSRF token (a cookie and a
 * field that must match) because no session exists yet.
 */
public final class LoginPage {
    private static final Logger log = LoggerFactory.getLogger(LoginPage.class);
    static final String LOGIN_COOKIE = "osc_login";
    private final StaffAccounts accounts;
    private final Passwords passwords;
    private final LoginThrottle throttle;
    private final ConsoleAuth auth;
    private final ConsolePages pages;
    private final ConsoleSessions sessions;
    private final Blocking blocking;
    private final Clock clock;
    private final boolean secureCookies;

    public LoginPage(StaffAccounts accounts, Passwords passwords, LoginThrottle throttle, ConsoleAuth auth,
                     ConsoleSessions sessions, ConsolePages pages, Blocking blocking, Clock clock, boolean secureCookies) {
        this.accounts = accounts;
        this.passwords = passwords;
        this.throttle = throttle;
        this.auth = auth;
        this.sessions = sessions;
        this.pages = pages;
        this.blocking = blocking;
        this.clock = clock;
        this.secureCookies = secureCookies;
    }

    public void show(RoutingContext ctx) {
        String token = SessionRules.newSecret();
        ctx.response().addCookie(Cookie.cookie(LOGIN_COOKIE, token).setPath("/console/login").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(secureCookies));
        form(ctx, 200, token, "", null);
    }

    public void submit(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(LOGIN_COOKIE);
        String token = ctx.request().getFormAttribute(ConsoleAuth.CSRF_FIELD);
        if (cookie == null || !SessionRules.csrfMatches(cookie.getValue(), token)) {
            pages.message(ctx, 403, "error.csrf.title", "error.csrf.text");
            return;
        }
        String username = Optional.ofNullable(ctx.request().getFormAttribute("username")).map(String::strip).orElse("");
        String password = Optional.ofNullable(ctx.request().getFormAttribute("password")).orElse("");
        String next = SessionRules.safeNext(ctx.request().getFormAttribute("next"));
        String address = org.screening.outreach.web.ClientAddress.of(ctx);
        blocking.run(() -> attempt(username, password, address)).onSuccess(a -> {
            if (a.throttled()) {
                form(ctx, 429, token, username, "login.throttled");
                return;
            }
            if (a.user() == null) {
                log.info("console login refused from {}", address);
                form(ctx, 401, token, username, "login.failed");
                return;
            }
            StaffUser user = a.user();
            ctx.response().addCookie(Cookie.cookie(LOGIN_COOKIE, "").setPath("/console/login").setMaxAge(0));
            auth.open(ctx, user).onSuccess(v -> {
                log.info("console login of staff account {}", user.accountId());
                pages.redirect(ctx, next);
            }).onFailure(ctx::fail);
        }).onFailure(ctx::fail);
    }

    /** The user when the password is right and the account enabled; {@code throttled} when it was not even checked. */
    private record Attempt(boolean throttled, StaffUser user) {}

    /** On a worker: the throttle (in the database), the password check and the throttle's count. */
    private Attempt attempt(String username, String password, String address) {
        if (!throttle.allowed(username, address)) return new Attempt(true, null);
        Optional<StaffAccounts.Stored> found = username.isEmpty() || username.length() > 64
                ? Optional.empty() : accounts.findByUsername(username);
        StaffUser user = null;
        if (found.isEmpty()) {
            passwords.matchesNothing(password);
        } else if (passwords.matches(password, found.get().passwordHash()) && !found.get().disabled()) {
            user = found.get().user();
        }
        if (user == null) {
            throttle.failed(username, address);
            return new Attempt(false, null);
        }
        throttle.succeeded(username, address);
        sessions.deleteExpired(clock.instant()); // housekeeping at a moment that is rare and cheap
        return new Attempt(false, user);
    }

    public void logout(RoutingContext ctx) {
        auth.close(ctx).onSuccess(v -> pages.redirect(ctx, "/console/login")).onFailure(ctx::fail);
    }

    private void form(RoutingContext ctx, int status, String token, String username, String errorKey) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("loginToken", token == null ? "" : token);
        vars.put("username", username);
        boolean posted = ctx.request().method() == io.vertx.core.http.HttpMethod.POST;
        vars.put("next", SessionRules.safeNext(posted ? ctx.request().getFormAttribute("next") : ctx.queryParams().get("next")));
        vars.put("error", errorKey == null ? "" : pages.messages(ctx).get(errorKey));
        pages.send(ctx, status, "login", vars);
    }
}
