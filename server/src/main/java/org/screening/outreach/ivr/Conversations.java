package org.screening.outreach.ivr;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.screening.outreach.domain.CommunityNames;
import org.screening.outreach.domain.LedgerEvent;

/**
 * The first-check conversation of every answered call, whatever the provider: loads the call's session, lets the
 * engine answer one event, stores the new session with each answer as an {@code IVR_ANSWER} ledger event, and
 * hands back the instructions rendered for the provider (TwiML for Twilio; Asterisk renders nothing and runs the
 * instructions itself).
 *
 * <p>Duplicates: a provider may send the same request twice (Twilio retries a webhook that timed out). The
 * provider says how many events the call had had when it got the reply it now answers ({@code seen}, carried in
 * Twilio's action URL); a request whose event was already handled gets the stored reply again and records
 * nothing.
 *
 * <p>The next step of a call this node has just stored starts from its own copy ({@link RecentCalls}) rather than
 * reading the session back; the save's condition on the event count catches a copy that is no longer current.
 */
public final class Conversations {
    public static final String ANSWER_EVENT = "IVR_ANSWER";
    public static final String ACTOR = "ivr";

    private final IvrScripts scripts;
    private final String scriptId;
    private final String language;
    private final IvrEngine engine;
    private final CallSessions sessions;
    private final Clock clock;
    private final Function<String, Optional<CommunityNames.Named>> communityNames;
    private final RecentCalls recent = new RecentCalls();

    /**
     * {@code communityNames}: a case's jurisdiction code → its community's name and the code it is registered under,
     * when one is known.
     */
    public Conversations(IvrScripts scripts, String scriptId, String language, IvrEngine engine, CallSessions sessions,
                         Clock clock, Function<String, Optional<CommunityNames.Named>> communityNames) {
        this.communityNames = communityNames;
        this.scripts = scripts;
        this.scriptId = scriptId;
        this.language = language;
        this.engine = engine;
        this.sessions = sessions;
        this.clock = clock;
        script(); // fail at start, not on the first call, when the configured script is missing
    }

    /** The script calls run in the configured language (cases in a language without a script of its own). */
    public IvrScript script() {
        return scripts.find(scriptId, language).orElseThrow(() -> new IllegalStateException(
                "no IVR script " + scriptId + " in " + language + " under ivr-scripts/"));
    }

    /**
     * The script of a call in {@code language} (a language tag, null for the configured one): the one loaded in that
     * language, else the configured language's. Needs no database.
     */
    public IvrScript scriptFor(String language) {
        return language == null ? script() : scripts.find(scriptId, language).orElseGet(this::script);
    }

    /** Said when the script has no apology of its own. */
    static final String APOLOGY_ZH = "对不起，系统暂时出了故障，我们稍后再给您打电话。再见。";
    static final String APOLOGY_EN = "Sorry, we have a technical problem. We will call you again later. Goodbye.";

    /**
     * What a callee hears when the server cannot go on with the call (its database failed): the script's apology
     * (a built-in sentence in its language when it has none, with no recording), then a hang-up. Needs no database.
     */
    public static List<Instruction> apology(IvrScript script) {
        Prompt p = script.apology() != null ? script.apology()
                : new Prompt(script.language().startsWith("zh") ? APOLOGY_ZH : APOLOGY_EN, null);
        return List.of(new Instruction.Speak(p.text(), p.audio()), new Instruction.Hangup());
    }

    /**
     * The script a call runs: the language its session started in (a call that began in English stays English),
     * else the case's language when the script is loaded in it, else the configured language. A session stored
     * before sessions named their language ran the configured one.
     */
    private IvrScript script(CallSessions.Call call, IvrSession before) {
        String lang = before == null ? call.language() : before.language() == null ? language : before.language();
        return lang == null ? script() : scripts.find(scriptId, lang).orElseGet(this::script);
    }

    /**
     * The greeting's name for the community (with none known, the plain word: "这里是社区排查专班") and the code of its
     * recording.
     */
    private CallContext context(CallSessions.Call call, String scriptLanguage) {
        Optional<CommunityNames.Named> named = communityNames.apply(call.jurisdiction());
        String plain = scriptLanguage.startsWith("zh") ? "社区" : "community";
        return new CallContext(named.map(CommunityNames.Named::name).orElse(plain), call.personName(),
                named.map(CommunityNames.Named::code).orElse(""));
    }

    /**
     * Turns instructions into the provider's reply; {@code events} is the number of the event being answered,
     * {@code language} the language of the call's script (Twilio's text-to-speech voice).
     */
    @FunctionalInterface
    public interface Render {
        Render NOTHING = (instructions, events, language) -> "";

        String render(List<Instruction> instructions, int events, String language);
    }

    /**
     * What the provider gets back for one event: {@code events} is how many the call has had now (the next
     * request's {@code seen}); {@code replayed}: the stored reply of an earlier identical request.
     */
    public record Reply(String rendered, List<Instruction> instructions, IvrSession session, int events,
                        boolean replayed) {
        public boolean ended() {
            return session.ended();
        }
    }

    /**
     * Empty when the attempt is not a call this server placed. {@code seen} null: the provider never repeats a
     * request (Asterisk's AGI session is one connection), every event is new.
     */
    public Optional<Reply> handle(long attemptId, CallEvent event, Integer seen, Render render) {
        Optional<CallSessions.Call> cached = seen == null ? Optional.empty() : recent.after(attemptId, seen);
        if (cached.isPresent()) {
            Optional<Reply> r = step(cached.get(), event, seen, render);
            if (r.isPresent()) return r;
            recent.forget(attemptId); // stale: a duplicate or another node moved the call on; read what it stored
        }
        for (int tries = 0; tries < 3; tries++) {
            Optional<CallSessions.Call> found = sessions.find(attemptId);
            if (found.isEmpty()) return Optional.empty();
            Optional<Reply> r = step(found.get(), event, seen, render);
            if (r.isPresent()) return r;
            // A duplicate of this event was stored meanwhile: answer from what it stored.
        }
        throw new IllegalStateException("IVR session of attempt " + attemptId + " keeps changing under this request");
    }

    /** One try at the event on the call as read; empty when a duplicate of the same event was stored first. */
    private Optional<Reply> step(CallSessions.Call call, CallEvent event, Integer seen, Render render) {
        IvrSession before = call.stored().map(CallSessions.Stored::session).orElse(null);
        int handled = call.stored().map(CallSessions.Stored::events).orElse(0);
        IvrScript script = script(call, before);
        if (seen != null && seen != handled && call.stored().isPresent()) {
            if (seen == handled - 1 && before.status() == IvrSession.Status.HUNG_UP) {
                // The line closed (status callback) right after the question this request answers: a late answer.
                Optional<RecordedAnswer> late = engine.lateAnswer(script, before, event);
                if (late.isPresent()) return lateAnswer(call, before, late, handled);
            }
            return Optional.of(replay(call.stored().get()));
        }
        IvrSession current = before != null ? before : IvrSession.start(script);
        if (!current.script().equals(script.id())) current = IvrSession.start(script);
        if (!call.attemptOpen() && !current.ended()) {
            // The call's outcome was already settled (status callback first): nothing more to ask, but keys that
            // answer the question it was on are still an answer.
            if (event instanceof CallEvent.Digits) {
                return lateAnswer(call, current.hungUp(), engine.lateAnswer(script, current, event), handled);
            }
            event = new CallEvent.HungUp();
        }
        if (before != null && before.ended() && event instanceof CallEvent.HungUp) {
            // The usual end: the script had finished when the line closed. Nothing changes, nothing to store.
            return Optional.of(new Reply("", List.of(), before, handled, false));
        }
        Turn t = engine.handle(script, current, event, context(call, script.language()));
        String rendered = render.render(t.instructions(), handled + 1, script.language());
        if (!sessions.save(call.attemptId(), handled + 1, t.session(), rendered, events(call, t, false))) return Optional.empty();
        // Only a provider that says what it has seen (Twilio) can ask for the next step from a copy.
        if (seen != null) {
            recent.stored(new CallSessions.Call(call.attemptId(), call.caseId(), call.personName(), call.jurisdiction(),
                    call.language(), call.attemptOpen(), Optional.of(new CallSessions.Stored(t.session(), rendered,
                    handled + 1))));
        }
        return Optional.of(new Reply(rendered, t.instructions(), t.session(), handled + 1, false));
    }

    /**
     * Keys that came after the call's line closed, {@code closed} being its hung-up session: their {@code answer} to
     * the question the call was on, if valid, is recorded (ledger event marked {@code late}: the call's outcome did
     * not count it) and kept in the session; the request is answered with a hang-up, and a repeat of it records
     * nothing (it finds the events moved on). Empty when a duplicate stored first.
     */
    private Optional<Reply> lateAnswer(CallSessions.Call call, IvrSession closed, Optional<RecordedAnswer> answer,
                                       int handled) {
        Map<String, String> answers = new java.util.LinkedHashMap<>(closed.answers());
        answer.ifPresent(a -> answers.put(a.key(), a.value()));
        // The question is answered or past: waitingAt cleared, so nothing can answer it a second time.
        IvrSession after = closed.with(IvrSession.Status.HUNG_UP, null, 0, closed.turns(), answers);
        Turn t = new Turn(List.of(), after, answer.map(List::of).orElse(List.of()));
        if (!sessions.save(call.attemptId(), handled + 1, after, "", events(call, t, true))) return Optional.empty();
        recent.forget(call.attemptId());
        return Optional.of(new Reply("", List.of(), after, handled + 1, false));
    }

    /** The call's session at its end (hung up if it was still waiting), for the outcome's details. */
    public Optional<IvrSession> finish(long attemptId) {
        Optional<IvrSession> ended = recent.takeEnded(attemptId); // the usual end: the script was done, no read
        if (ended.isPresent()) return ended;
        Optional<IvrSession> last = handle(attemptId, new CallEvent.HungUp(), null, Render.NOTHING).map(Reply::session);
        recent.forget(attemptId); // the call is over: no more steps will come for it
        return last;
    }

    /** The call's session as last stored, read without changing it; empty before its first event. */
    public Optional<IvrSession> stored(long attemptId) {
        return sessions.find(attemptId).flatMap(CallSessions.Call::stored).map(CallSessions.Stored::session);
    }

    /**
     * The outcome details of a call that ran the script: every answer under its key, and the session's end under
     * {@link org.screening.outreach.domain.FirstCheck#IVR} (so a call that heard the questions but answered none is
     * asked again, not taken as reached).
     */
    public static Map<String, Object> outcomeDetails(IvrSession ended) {
        Map<String, Object> d = new HashMap<>(ended.answers());
        d.put(org.screening.outreach.domain.FirstCheck.IVR, ended.status().name());
        return d;
    }

    private static Reply replay(CallSessions.Stored stored) {
        return new Reply(stored.reply(), List.of(), stored.session(), stored.events(), true);
    }

    /** {@code late}: answers given after the call's line closed, which its outcome did not count. */
    private List<LedgerEvent> events(CallSessions.Call call, Turn t, boolean late) {
        return t.recorded().stream().map(a -> {
            Map<String, Object> d = new HashMap<>();
            if (late) d.put("late", true);
            d.put("attempt", call.attemptId());
            d.put("key", a.key());
            d.put("value", a.value());
            d.put("step", a.stepId());
            if (a.digits() != null) d.put("digits", a.digits());
            return new LedgerEvent(call.caseId(), ANSWER_EVENT, clock.instant(), ACTOR, d);
        }).toList();
    }
}
