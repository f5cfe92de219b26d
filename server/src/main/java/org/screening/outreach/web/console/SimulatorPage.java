package org.screening.outreach.web.console;

import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.screening.outreach.domain.FirstCheck;
import org.screening.outreach.domain.FollowUp;
import org.screening.outreach.ivr.CallContext;
import org.screening.outreach.ivr.CallEvent;
import org.screening.outreach.ivr.Instruction;
import org.screening.outreach.ivr.IvrEngine;
import org.screening.outreach.ivr.IvrResult;
import org.screening.outreach.ivr.IvrScript;
import org.screening.outreach.ivr.IvrScripts;
import org.screening.outreach.ivr.IvrSession;
import org.screening.outreach.ivr.RecordedAnswer;
import org.screening.outreach.ivr.Turn;

/**
 * {@code /console/simulator} (admin accounts only): a practice call to oneself through the IVR engine, answered by
 * clicking a keypad, to try a script without a telephone. Server-rendered, one form post per key, no script needed.
 * Keys are sent to the engine when {@code #} is pressed or the gather's maximum of keys is reached, as Twilio's
 * Gather does. Nothing touches a case: the call lives only in {@link SimulatorCalls}.
 */
public final class SimulatorPage {
    static final String PATH = "/console/simulator";
    private static final String KEYS = "0123456789*#";
    private final IvrScripts scripts;
    /** The script calls run, offered first. */
    private final String configured;
    private final IvrEngine engine;
    private final SimulatorCalls calls;
    private final ConsolePages pages;
    private final Clock clock;

    public SimulatorPage(IvrScripts scripts, String script, String language, Clock clock, ConsolePages pages) {
        this.scripts = scripts;
        this.configured = script + "|" + language;
        this.engine = new IvrEngine(clock);
        this.calls = new SimulatorCalls(clock);
        this.pages = pages;
        this.clock = clock;
    }

    /** The (script, language) pairs a practice call can use. */
    /** Every loaded script in every language, the configured one first. */
    List<Map<String, String>> choices() {
        List<Map<String, String>> out = new ArrayList<>();
        if (scripts == null) return out;
        for (IvrScript s : scripts.all()) {
            String value = s.id() + "|" + s.language();
            Map<String, String> choice = Map.of("value", value, "label", s.id() + " (" + s.language() + ")");
            if (value.equals(configured)) out.add(0, choice);
            else out.add(choice);
        }
        return out;
    }

    public void show(RoutingContext ctx) {
        if (!admin(ctx)) return;
        render(ctx, 200, calls.get(key(ctx)).orElse(null), "");
    }

    /** "拨打": a new practice call replaces the session's previous one. */
    public void start(RoutingContext ctx) {
        if (!admin(ctx)) return;
        String chosen = form(ctx, "script");
        Optional<IvrScript> script = Optional.empty();
        int bar = chosen.indexOf('|');
        if (bar > 0 && scripts != null) {
            script = scripts.find(chosen.substring(0, bar), chosen.substring(bar + 1));
        }
        if (script.isEmpty()) {
            render(ctx, 400, null, pages.messages(ctx).get("sim.err.script"));
            return;
        }
        IvrScript s = script.get();
        SimulatorCalls.Call call = new SimulatorCalls.Call(s.id(), s.language(), IvrSession.start(s), clock.instant());
        synchronized (call) {
            run(ctx, call, s, new CallEvent.Started(), null);
        }
        calls.put(key(ctx), call);
        pages.redirect(ctx, PATH);
    }

    /** One key of the keypad, or "silence" (the gather timed out) or "hangup". */
    public void event(RoutingContext ctx) {
        if (!admin(ctx)) return;
        Optional<SimulatorCalls.Call> found = calls.get(key(ctx));
        if (found.isEmpty()) {
            render(ctx, 409, null, pages.messages(ctx).get("sim.err.noCall"));
            return;
        }
        SimulatorCalls.Call call = found.get();
        Messages m = pages.messages(ctx);
        synchronized (call) {
            Optional<IvrScript> script = scripts.find(call.script, call.language);
            if (script.isEmpty() || call.session.ended()) {
                pages.redirect(ctx, PATH);
                return;
            }
            String what = form(ctx, "event");
            String pressed = form(ctx, "key");
            if ("silence".equals(what)) {
                call.pending = "";
                run(ctx, call, script.get(), new CallEvent.Silence(), m.get("sim.you.silence"));
            } else if ("hangup".equals(what)) {
                call.pending = "";
                run(ctx, call, script.get(), new CallEvent.HungUp(), m.get("sim.you.hangup"));
            } else if (pressed.length() == 1 && KEYS.contains(pressed)) {
                if (pressed.equals("#")) {
                    send(ctx, call, script.get(), m);
                } else {
                    call.pending += pressed;
                    if (call.maxDigits > 0 && call.pending.length() >= call.maxDigits) send(ctx, call, script.get(), m);
                }
            } else {
                render(ctx, 400, call, m.get("sim.err.key"));
                return;
            }
        }
        pages.redirect(ctx, PATH);
    }

    /** Ends the practice call and forgets it. */
    public void reset(RoutingContext ctx) {
        if (!admin(ctx)) return;
        calls.remove(key(ctx));
        pages.redirect(ctx, PATH);
    }

    private void send(RoutingContext ctx, SimulatorCalls.Call call, IvrScript script, Messages m) {
        String digits = call.pending;
        call.pending = "";
        // Twilio reports no digits when # alone ends the gather: the engine hears that as silence.
        run(ctx, call, script, CallEvent.keys(digits), digits.isEmpty() ? m.get("sim.you.silence") : m.fmt("sim.you.pressed", digits));
    }

    private void run(RoutingContext ctx, SimulatorCalls.Call call, IvrScript script, CallEvent event, String said) {
        if (said != null) call.lines.add(new SimulatorCalls.Line(false, said));
        StaffUser user = ConsoleAuth.user(ctx);
        Turn turn = engine.handle(script, call.session, event, new CallContext(pages.messages(ctx).get("sim.community"),
                user.displayName()));
        call.session = turn.session();
        call.answers.addAll(turn.recorded());
        call.maxDigits = 0;
        for (Instruction i : turn.instructions()) {
            if (i instanceof Instruction.Speak sp) {
                call.lines.add(new SimulatorCalls.Line(true, sp.text()));
            } else if (i instanceof Instruction.Gather g) {
                g.prompts().forEach(sp -> call.lines.add(new SimulatorCalls.Line(true, sp.text())));
                call.maxDigits = g.maxDigits();
            }
        }
    }

    private void render(RoutingContext ctx, int status, SimulatorCalls.Call call, String error) {
        Messages m = pages.messages(ctx);
        Map<String, Object> vars = new HashMap<>();
        vars.put("choices", choices());
        vars.put("error", error);
        vars.put("keys", List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"));
        vars.put("hasCall", call != null);
        if (call != null) {
            synchronized (call) {
                vars.put("chosen", call.script + "|" + call.language);
                vars.put("lines", call.lines.stream().map(l -> Map.of("heard", l.heard(), "text", l.text())).toList());
                List<Map<String, String>> answers = new ArrayList<>();
                for (RecordedAnswer a : call.answers) {
                    answers.add(Map.of("key", a.key(), "value", a.value(), "digits", a.digits() == null ? "" : a.digits()));
                }
                vars.put("answers", answers);
                vars.put("pending", call.pending);
                vars.put("ended", call.session.ended());
                vars.put("status", m.getOr("sim.status." + call.session.status().name(), call.session.status().name()));
                vars.put("result", call.session.ended() ? result(m, call.session) : List.of());
            }
        } else {
            vars.put("chosen", "");
        }
        pages.send(ctx, status, "simulator", vars);
    }

    /** What the answers mean, per {@link FirstCheck}, in words: label → text. */
    static List<Map<String, String>> result(Messages m, IvrSession session) {
        IvrResult r = IvrResult.of(session);
        List<Map<String, String>> out = new ArrayList<>();
        out.add(row(m, "sim.result.ended", m.getOr("sim.status." + r.ended().name(), r.ended().name())));
        out.add(row(m, "sim.result.identity", yesNo(m, r.identityConfirmed(), "sim.identity")));
        out.add(row(m, "sim.result.inCity", yesNo(m, r.inCity(), "sim.inCity")));
        out.add(row(m, "sim.result.travel", yesNo(m, r.travelLast7Days(), "sim.travel")));
        out.add(row(m, "sim.result.arrival", r.arrivalDate() == null ? m.get("sim.unanswered") : r.arrivalDate().toString()));
        out.add(row(m, "sim.result.healthCode", r.healthCode() == null ? m.get("sim.unanswered")
                : m.getOr("sim.code." + r.healthCode().name(), r.healthCode().name())));
        Set<FollowUp> follow = r.followUps();
        List<String> words = new ArrayList<>();
        for (FollowUp f : FollowUp.values()) if (follow.contains(f)) words.add(m.getOr("sim.follow." + f.name(), f.name()));
        out.add(row(m, "sim.result.followUps", words.isEmpty() ? m.get("sim.none") : String.join("；", words)));
        List<String> flags = r.flags().stream().map(f -> m.getOr("sim.flag." + f, f)).toList();
        out.add(row(m, "sim.result.flags", flags.isEmpty() ? m.get("sim.none") : String.join("；", flags)));
        return out;
    }

    private static Map<String, String> row(Messages m, String labelKey, String value) {
        return Map.of("label", m.get(labelKey), "value", value, "id", labelKey.substring(labelKey.lastIndexOf('.') + 1));
    }

    private static String yesNo(Messages m, Boolean b, String prefix) {
        if (b == null) return m.get("sim.unanswered");
        return m.get(prefix + (b ? ".yes" : ".no"));
    }

    private boolean admin(RoutingContext ctx) {
        if (ConsoleAuth.user(ctx).admin()) return true;
        pages.message(ctx, 403, "error.forbidden.title", "error.simAdminOnly.text");
        return false;
    }

    /** The console session's key: the hash of its cookie (ConsoleAuth has already checked it is live). */
    private static String key(RoutingContext ctx) {
        Cookie c = ctx.request().getCookie(ConsoleAuth.SESSION_COOKIE);
        return SessionRules.hash(c.getValue());
    }

    private static String form(RoutingContext ctx, String name) {
        String v = ctx.request().getFormAttribute(name);
        return v == null ? "" : v.strip();
    }
}
