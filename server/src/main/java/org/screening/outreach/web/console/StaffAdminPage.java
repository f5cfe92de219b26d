package org.screening.outreach.web.console;

import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.screening.outreach.domain.Role;
import org.screening.outreach.web.Blocking;

/**
 * {@code /console/admin/staff} (admin accounts only): the staff accounts within the admin's jurisdiction, a form
 * that creates one under the same rules as {@code POST /api/v1/staff}, and per account disable / enable and a new
 * password ({@link StaffAccountChanges}, as the API's).
 */
public final class StaffAdminPage {
    private final StaffDirectory directory;
    private final StaffAccountChanges changes;
    private final StaffAccounts accounts;
    private final ConsolePages pages;
    private final Blocking blocking;

    public StaffAdminPage(StaffDirectory directory, StaffAccountChanges changes, StaffAccounts accounts,
                          ConsolePages pages, Blocking blocking) {
        this.directory = directory;
        this.changes = changes;
        this.accounts = accounts;
        this.pages = pages;
        this.blocking = blocking;
    }

    public void show(RoutingContext ctx) {
        if (!admin(ctx)) return;
        Messages m = pages.messages(ctx);
        String notice = "";
        // After a change the browser comes back with what was done to whom (PRG); the name is escaped like any text.
        for (Map.Entry<String, String> done : Map.of("created", "staff.created", "disabled", "staff.done.disabled",
                "enabled", "staff.done.enabled", "password", "staff.done.password").entrySet()) {
            String who = ctx.queryParams().get(done.getKey());
            if (who != null) notice = m.fmt(done.getValue(), who);
        }
        render(ctx, 200, notice, "", Map.of());
    }

    public void disable(RoutingContext ctx) {
        change(ctx, "disabled", changes::disable);
    }

    public void enable(RoutingContext ctx) {
        change(ctx, "enabled", changes::enable);
    }

    public void password(RoutingContext ctx) {
        String password = raw(ctx, "password");
        change(ctx, "password", (username, by) -> changes.setPassword(username, password, by));
    }

    private interface Change {
        StaffAccountChanges.Result apply(String username, StaffAccountChanges.Actor by);
    }

    /** Runs one account change on a worker; done goes back to the list with a notice, a refusal shows why. */
    private void change(RoutingContext ctx, String done, Change change) {
        if (!admin(ctx)) return;
        StaffUser admin = ConsoleAuth.user(ctx);
        String username = form(ctx, "username");
        io.vertx.core.http.Cookie cookie = ctx.request().getCookie(ConsoleAuth.SESSION_COOKIE);
        StaffAccountChanges.Actor by = new StaffAccountChanges.Actor(admin.jurisdictionPrefix(), admin.accountId(),
                admin.actor(), "staff account " + admin.accountId(), cookie == null ? null : SessionRules.hash(cookie.getValue()));
        blocking.run(() -> change.apply(username, by)).onSuccess(r -> {
            Messages m = pages.messages(ctx);
            switch (r.kind()) {
                case DONE -> pages.redirect(ctx, "/console/admin/staff?" + done + "="
                        + java.net.URLEncoder.encode(username, java.nio.charset.StandardCharsets.UTF_8));
                case NOT_FOUND -> render(ctx, 404, "", m.get("staff.err.noAccount"), Map.of());
                case OWN_ACCOUNT -> render(ctx, 409, "", m.get("staff.err.ownAccount"), Map.of());
                case LAST_ADMIN -> render(ctx, 409, "", m.get("staff.err.lastAdmin"), Map.of());
                case BAD_PASSWORD -> render(ctx, 400, "", m.get(r.problem().code()), Map.of());
            }
        }).onFailure(ctx::fail);
    }

    public void create(RoutingContext ctx) {
        if (!admin(ctx)) return;
        StaffUser admin = ConsoleAuth.user(ctx);
        StaffDirectory.Request r = new StaffDirectory.Request(form(ctx, "username"), raw(ctx, "password"),
                form(ctx, "displayName"), form(ctx, "role"), form(ctx, "jurisdictionPrefix"),
                "on".equals(form(ctx, "admin")));
        blocking.run(() -> directory.create(r, admin.role(), admin.jurisdictionPrefix())).onSuccess(outcome -> {
            Messages m = pages.messages(ctx);
            Map<String, String> typed = Map.of("username", r.username(), "displayName", r.displayName(),
                    "role", r.role(), "jurisdictionPrefix", r.prefix());
            if (outcome instanceof StaffDirectory.Created c) {
                pages.redirect(ctx, "/console/admin/staff?created="
                        + java.net.URLEncoder.encode(c.user().username(), java.nio.charset.StandardCharsets.UTF_8));
            } else if (outcome instanceof StaffDirectory.Refused p) {
                render(ctx, 400, "", m.get(p.problem().code()), typed);
            } else if (outcome instanceof StaffDirectory.OutsideScope) {
                render(ctx, 403, "", m.get("staff.err.scope"), typed);
            } else {
                render(ctx, 409, "", m.get("staff.err.duplicate"), typed);
            }
        }).onFailure(ctx::fail);
    }

    private boolean admin(RoutingContext ctx) {
        if (ConsoleAuth.user(ctx).admin()) return true;
        pages.message(ctx, 403, "error.forbidden.title", "error.adminOnly.text");
        return false;
    }

    private void render(RoutingContext ctx, int status, String notice, String error, Map<String, String> typed) {
        StaffUser admin = ConsoleAuth.user(ctx);
        Messages m = pages.messages(ctx);
        blocking.run(() -> accounts.list(admin.jurisdictionPrefix(), 500)).onSuccess(list -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (StaffAccounts.Listed l : list) {
                StaffUser u = l.user();
                rows.add(Map.of("username", u.username(), "displayName", u.displayName(),
                        "role", m.getOr("role." + u.role().name(), u.role().name()),
                        "prefix", u.jurisdictionPrefix(), "admin", u.admin(), "disabled", l.disabled(),
                        "self", u.accountId() == admin.accountId()));
            }
            List<Map<String, Object>> roles = new ArrayList<>();
            for (Role r : Role.values()) roles.add(Map.of("value", r.code(), "label", m.getOr("role." + r.name(), r.code())));
            Map<String, Object> v = new HashMap<>(Map.of("username", "", "displayName", "", "role", "community",
                    "jurisdictionPrefix", admin.jurisdictionPrefix()));
            v.putAll(typed);
            Map<String, Object> vars = new HashMap<>();
            vars.put("accounts", rows);
            vars.put("roles", roles);
            vars.put("v", v);
            vars.put("notice", notice);
            vars.put("error", error);
            pages.send(ctx, status, "staff", vars);
        }).onFailure(ctx::fail);
    }

    private static String form(RoutingContext ctx, String name) {
        String v = ctx.request().getFormAttribute(name);
        return v == null ? "" : v.strip();
    }

    /** Passwords are taken as typed: leading or trailing spaces are part of them. */
    private static String raw(RoutingContext ctx, String name) {
        String v = ctx.request().getFormAttribute(name);
        return v == null ? "" : v;
    }
}
